package io.affinityagent.jdk;

import java.util.List;

/**
 * ThreadPoolExecutor (and so every subclass: scheduled, fixed, cached): a worker starts in
 * {@code runWorker} before its first task, and {@code processWorkerExit} runs when it dies or
 * times out, before the pool adds its replacement, so the slot is free for the replacement.
 * The end of the {@code Worker} constructor names the thread the pool's factory made, before it
 * starts: so the Thread hooks know it is a pool worker (even when the factory wrapped the
 * worker in a Runnable of its own) and leave it to {@code runWorker}.
 */
final class ThreadPoolExecutorInstrumentation {

    static final String TYPE = "java/util/concurrent/ThreadPoolExecutor";
    static final String WORKER_TYPE = "java/util/concurrent/ThreadPoolExecutor$Worker";

    private ThreadPoolExecutorInstrumentation() {
    }

    static List<MethodHook> hooks() {
        return List.of(
                new EntryHook(TYPE, "runWorker", "(Ljava/util/concurrent/ThreadPoolExecutor$Worker;)V",
                        "threadPoolWorkerStarting", "(Ljava/lang/Object;)V", 0),
                new EntryHook(TYPE, "processWorkerExit", "(Ljava/util/concurrent/ThreadPoolExecutor$Worker;Z)V",
                        "threadPoolWorkerExiting", "()V"),
                new ReturnHook(WORKER_TYPE, "<init>", "(Ljava/util/concurrent/ThreadPoolExecutor;Ljava/lang/Runnable;)V",
                        "thread", "Ljava/lang/Thread;", "threadPoolWorkerCreated", "(Ljava/lang/Thread;)V"));
    }
}
