package io.affinityagent.advice;

/**
 * A running thread as a rule would see it: its Java name, its kind, and the class behind it
 * (the pool's class for a pool worker; for another thread, the class whose code it runs, e.g.
 * {@code org.apache.tomcat.util.threads.ThreadPoolExecutor} or {@code java.util.TimerThread}).
 */
public final class SeenThread {

    private final String name;
    private final ThreadKind kind;
    private final String poolClass;
    private final boolean poolClassExact;

    /**
     * @param poolClass      the class behind the thread, or null when unknown
     * @param poolClassExact false when the pool may be a subclass of {@code poolClass} that is not
     *                       known (a thread dump shows ThreadPoolExecutor's frames, not the subclass)
     */
    public SeenThread(String name, ThreadKind kind, String poolClass, boolean poolClassExact) {
        this.name = name;
        this.kind = kind;
        this.poolClass = poolClass;
        this.poolClassExact = poolClassExact;
    }

    public String name() {
        return name;
    }

    public ThreadKind kind() {
        return kind;
    }

    public String poolClass() {
        return poolClass;
    }

    public boolean poolClassExact() {
        return poolClassExact;
    }

    /** "http-nio-8080-exec-1 (a plain thread (no java.util.concurrent pool), runs org.apache...)". */
    public String describe() {
        return name + " (" + kind.description() + (poolClass != null ? ", " + (kind.poolKind() != null
                && kind != ThreadKind.PLAIN_THREAD ? "pool " : "runs ") + poolClass : "") + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
