package io.affinityagent.bootstrap;

import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The bridge between the JDK's thread and pool code and the agent. The instrumented JDK methods
 * call these static methods; they hand the event to the handlers the agent set, and swallow
 * anything the agent throws, so the application never sees an exception of ours.
 *
 * <p>This class is not loaded from here: the agent defines a renamed copy,
 * {@code jdk.internal.misc.AffinityAgentWorkerHooks}, inside {@code java.base}, where the pool
 * code can see it (see jdk.JavaBaseDefiner). It must therefore use JDK types only, have
 * no lambdas and no nested classes, and refer to no other class of the agent.
 */
public final class WorkerHooks {

    /** (pool, worker thread): a worker is about to run its first task. Null when detached. */
    public static volatile BiConsumer<Object, Thread> onWorkerStart;

    /** (thread): a pool worker or a thread is exiting; for a pool worker, before the pool starts its replacement. */
    public static volatile Consumer<Thread> onWorkerExit;

    /** (thread): a platform thread starts running, before its task (Thread.run). */
    public static volatile Consumer<Thread> onThreadRun;

    /**
     * True while the JVM reports every platform thread start to {@link #threadStarted} (the native
     * helper's JVMTI ThreadStart event): Thread.run's hook then stays quiet, so no thread is seen twice.
     */
    public static volatile boolean threadStartsWatched;

    /** (new thread): the current thread is starting it (Thread.start, on the parent). */
    public static volatile Consumer<Thread> onThreadStart;

    /** (thread): a ThreadPoolExecutor made this thread for a worker; it has not started yet. */
    public static volatile Consumer<Thread> onPoolWorkerCreated;

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

    /** From the end of the ThreadPoolExecutor.Worker constructor, on the thread adding the worker. */
    public static void threadPoolWorkerCreated(Thread worker) {
        call(onPoolWorkerCreated, worker);
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

    /** From Thread.run; {@code thread} is the current thread unless someone calls run() directly. */
    public static void threadRunning(Thread thread) {
        if (!threadStartsWatched && thread == Thread.currentThread()) {
            call(onThreadRun, thread);
        }
    }

    /**
     * From the native helper's JVMTI ThreadStart callback, on the new thread before its run():
     * also for a Thread subclass whose run() never calls Thread.run().
     */
    public static void threadStarted(Thread thread) {
        if (thread == Thread.currentThread()) {
            call(onThreadRun, thread);
        }
    }

    /** From Thread.start (and start(ThreadContainer)), on the thread that starts {@code thread}. */
    public static void threadStarting(Thread thread) {
        call(onThreadStart, thread);
    }

    /** From Thread.exit, on the ending thread. */
    public static void threadExiting(Thread thread) {
        if (thread == Thread.currentThread()) {
            workerExiting(thread);
        }
    }

    private static void workerExiting(Thread worker) {
        call(onWorkerExit, worker);
    }

    private static void call(Consumer<Thread> handler, Thread thread) {
        if (handler != null && thread != null) {
            try {
                handler.accept(thread);
            } catch (Throwable ignored) {
                // The agent never throws into the application.
            }
        }
    }
}
