package io.affinityagent.bootstrap;

import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The bridge between the JDK's pool code and the agent. The instrumented JDK methods call these
 * static methods; they hand the event to the handlers the agent set, and swallow anything the
 * agent throws, so a pool never sees an exception of ours.
 *
 * <p>This class is not loaded from here: the agent defines a renamed copy,
 * {@code jdk.internal.misc.AffinityAgentWorkerHooks}, inside {@code java.base}, where the pool
 * code can see it (see instrument.JavaBaseDefiner). It must therefore use JDK types only, have
 * no lambdas and no nested classes, and refer to no other class of the agent.
 */
public final class WorkerHooks {

    /** (pool, worker thread): a worker is about to run its first task. Null when detached. */
    public static volatile BiConsumer<Object, Thread> onWorkerStart;

    /** (worker thread): a worker is exiting, before the pool starts its replacement. */
    public static volatile Consumer<Thread> onWorkerExit;

    private WorkerHooks() {
    }

    /** From ThreadPoolExecutor.runWorker, on the worker thread. */
    public static void threadPoolWorkerStarting(Object pool) {
        BiConsumer<Object, Thread> handler = onWorkerStart;
        if (handler != null) {
            try {
                handler.accept(pool, Thread.currentThread());
            } catch (Throwable ignored) {
                // The agent never throws into the application.
            }
        }
    }

    /** From ThreadPoolExecutor.processWorkerExit, on the dying worker thread. */
    public static void threadPoolWorkerExiting() {
        workerExiting(Thread.currentThread());
    }

    /** From ForkJoinWorkerThread.run, on the worker thread. */
    public static void forkJoinWorkerStarting(Thread worker) {
        BiConsumer<Object, Thread> handler = onWorkerStart;
        if (handler != null && worker == Thread.currentThread()) {
            try {
                handler.accept(((ForkJoinWorkerThread) worker).getPool(), worker);
            } catch (Throwable ignored) {
                // The agent never throws into the application.
            }
        }
    }

    /** From ForkJoinPool.deregisterWorker; the worker may be null (it failed to start). */
    public static void forkJoinWorkerExiting(Thread worker) {
        if (worker != null) {
            workerExiting(worker);
        }
    }

    private static void workerExiting(Thread worker) {
        Consumer<Thread> handler = onWorkerExit;
        if (handler != null) {
            try {
                handler.accept(worker);
            } catch (Throwable ignored) {
                // The agent never throws into the application.
            }
        }
    }
}
