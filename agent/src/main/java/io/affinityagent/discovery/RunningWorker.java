package io.affinityagent.discovery;

/** A pool worker that was already running when the agent looked: its thread and its pool. */
public final class RunningWorker {

    private final Thread thread;
    private final Object pool;
    private final long javaId;

    RunningWorker(Thread thread, Object pool, long javaId) {
        this.thread = thread;
        this.pool = pool;
        this.javaId = javaId;
    }

    public Thread thread() {
        return thread;
    }

    /** The ThreadPoolExecutor or ForkJoinPool it works for. */
    public Object pool() {
        return pool;
    }

    /** Thread.threadId(), read from the field (an application's Thread subclass may override getId). */
    public long javaId() {
        return javaId;
    }
}
