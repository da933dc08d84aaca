package io.affinityagent.jdk;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the bridge calls for each event (see bootstrap.WorkerHooks). Plain function types, so the
 * bridge in java.base needs no agent class.
 */
public final class HookHandlers {

    private final BiConsumer<Object, Thread> workerStart;
    private final Consumer<Thread> workerExit;
    private final Consumer<Thread> threadRun;
    private final Consumer<Thread> threadStart;
    private final Consumer<Thread> poolWorkerCreated;

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

    public Consumer<Thread> threadRun() {
        return threadRun;
    }

    public Consumer<Thread> threadStart() {
        return threadStart;
    }

    public Consumer<Thread> poolWorkerCreated() {
        return poolWorkerCreated;
    }
}
