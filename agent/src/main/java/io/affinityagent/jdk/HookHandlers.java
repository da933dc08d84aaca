package io.affinityagent.jdk;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the bridge calls for each event (see bootstrap.WorkerHooks). Plain function types, so the
 * bridge in java.base needs no agent class.
 */
public final class HookHandlers {

    final BiConsumer<Object, Thread> workerStart;
    final Consumer<Thread> workerExit;
    final Consumer<Thread> threadRun;
    final Consumer<Thread> threadStart;
    final Consumer<Thread> poolWorkerCreated;

    /**
     * @param workerStart       (pool, worker): a pool worker is about to run its first task
     * @param workerExit        (thread): a pool worker, or any platform thread, is ending
     * @param threadRun         (thread): a platform thread starts running (Thread.run)
     * @param threadStart       (new thread): the current thread starts it (Thread.start)
     * @param poolWorkerCreated (thread): a ThreadPoolExecutor made it for a worker, not started yet
     */
    public HookHandlers(BiConsumer<Object, Thread> workerStart, Consumer<Thread> workerExit, Consumer<Thread> threadRun,
                        Consumer<Thread> threadStart, Consumer<Thread> poolWorkerCreated) {
        this.workerStart = workerStart;
        this.workerExit = workerExit;
        this.threadRun = threadRun;
        this.threadStart = threadStart;
        this.poolWorkerCreated = poolWorkerCreated;
    }

    public BiConsumer<Object, Thread> workerStart() {
        return workerStart;
    }

    public Consumer<Thread> workerExit() {
        return workerExit;
    }
}
