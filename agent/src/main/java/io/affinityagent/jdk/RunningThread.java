package io.affinityagent.jdk;

/** A platform thread that was already running when the agent looked: the thread and, for a pool worker, its pool. */
public final class RunningThread {

    private final Thread thread;
    private final Object pool;
    private final long javaId;

    RunningThread(Thread thread, Object pool, long javaId) {
        this.thread = thread;
        this.pool = pool;
        this.javaId = javaId;
    }

    public Thread thread() {
        return thread;
    }

    /** The ThreadPoolExecutor or ForkJoinPool it works for; null for a thread of no pool. */
    public Object pool() {
        return pool;
    }

    /** Thread.threadId(), read from the field (an application's Thread subclass may override getId). */
    public long javaId() {
        return javaId;
    }
}
