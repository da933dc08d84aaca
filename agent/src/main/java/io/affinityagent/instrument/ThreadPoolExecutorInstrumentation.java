package io.affinityagent.instrument;

import java.util.List;

/**
 * ThreadPoolExecutor (and so every subclass: scheduled, fixed, cached): a worker starts in
 * {@code runWorker} before its first task, and {@code processWorkerExit} runs when it dies or
 * times out, before the pool adds its replacement, so the slot is free for the replacement.
 */
final class ThreadPoolExecutorInstrumentation {

    static final String TYPE = "java/util/concurrent/ThreadPoolExecutor";

    private ThreadPoolExecutorInstrumentation() {
    }

    static List<EntryHook> hooks() {
        return List.of(
                new EntryHook(TYPE, "runWorker", "(Ljava/util/concurrent/ThreadPoolExecutor$Worker;)V",
                        "threadPoolWorkerStarting", "(Ljava/lang/Object;)V", 0),
                new EntryHook(TYPE, "processWorkerExit", "(Ljava/util/concurrent/ThreadPoolExecutor$Worker;Z)V",
                        "threadPoolWorkerExiting", "()V"));
    }
}
