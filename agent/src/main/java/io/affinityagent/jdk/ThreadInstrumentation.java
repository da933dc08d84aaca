package io.affinityagent.jdk;

import java.util.List;

/**
 * java.lang.Thread, for threads that are no j.u.c. pool worker ({@code pool = any-thread}) and
 * for the masks threads inherit:
 * <ul>
 * <li>{@code run()} is what the JVM calls on a new platform thread (JDK 17 and 25 alike), so its
 * start runs on the new thread before its task. Subclasses that override {@code run()} without
 * calling {@code super.run()} never get there (ForkJoinWorkerThread is one; its own hook covers it).</li>
 * <li>{@code exit()} is what the JVM calls on a platform thread as it ends, on that thread: the
 * slot goes back.</li>
 * <li>{@code start()}, and on JDK 21+ {@code start(ThreadContainer)} (thread-per-task executors),
 * run on the parent: the only moment we know which thread started which, and so whether the new
 * thread inherited a mask the agent set.</li>
 * </ul>
 * Virtual threads run none of these.
 */
final class ThreadInstrumentation {

    static final String TYPE = "java/lang/Thread";

    private ThreadInstrumentation() {
    }

    static List<MethodHook> hooks() {
        return List.of(
                new EntryHook(TYPE, "run", "()V", "threadRunning", "(Ljava/lang/Thread;)V", 0),
                new EntryHook(TYPE, "exit", "()V", "threadExiting", "(Ljava/lang/Thread;)V", 0),
                new EntryHook(TYPE, "start", "()V", "threadStarting", "(Ljava/lang/Thread;)V", 0),
                new EntryHook(TYPE, "start", "(Ljdk/internal/vm/ThreadContainer;)V", "threadStarting",
                        "(Ljava/lang/Thread;)V", 0).ifPresent());
    }
}
