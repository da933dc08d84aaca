package io.affinityagent.jdk;

import java.util.List;

/**
 * ForkJoinPool, including the common pool and the virtual-thread scheduler (whose carriers are
 * ForkJoinWorkerThreads): a worker starts in {@code ForkJoinWorkerThread.run}, and
 * {@code ForkJoinPool.deregisterWorker} runs when it ends, before a replacement is signalled.
 */
final class ForkJoinInstrumentation {

    static final String WORKER_TYPE = "java/util/concurrent/ForkJoinWorkerThread";
    static final String POOL_TYPE = "java/util/concurrent/ForkJoinPool";

    private ForkJoinInstrumentation() {
    }

    static List<MethodHook> hooks() {
        return List.of(
                new EntryHook(WORKER_TYPE, "run", "()V", "forkJoinWorkerStarting", "(Ljava/lang/Thread;)V", 0),
                new EntryHook(POOL_TYPE, "deregisterWorker",
                        "(Ljava/util/concurrent/ForkJoinWorkerThread;Ljava/lang/Throwable;)V",
                        "forkJoinWorkerExiting", "(Ljava/lang/Thread;)V", 1));
    }
}
