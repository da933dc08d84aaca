package io.affinityagent.advice;

import io.affinityagent.config.PoolKind;

/** What a running thread is, as far as rules are concerned: the pool kind a rule would see, or why none. */
public enum ThreadKind {
    THREAD_POOL("thread-pool", "a java.util.concurrent.ThreadPoolExecutor worker", PoolKind.THREAD_POOL),
    FORK_JOIN("fork-join", "a ForkJoinPool worker", PoolKind.FORK_JOIN),
    COMMON_POOL("common-pool", "a worker of the common pool", PoolKind.COMMON_POOL),
    VIRTUAL_SCHEDULER("virtual-scheduler", "a carrier of the virtual-thread scheduler", PoolKind.VIRTUAL_SCHEDULER),
    /** A platform thread of no j.u.c. pool whose Thread.run() runs: any-thread rules see it. */
    PLAIN_THREAD("thread", "a plain thread of no java.util.concurrent pool", PoolKind.ANY_THREAD),
    /**
     * A Thread subclass whose run() never calls Thread.run(): any-thread rules see it too (as it
     * starts through the JVM's thread-start event where the native helper pins, and at an attach).
     */
    THREAD_SUBCLASS("thread*", "a thread whose class overrides run()", PoolKind.ANY_THREAD),
    /** The main thread: not started by Thread.start(). */
    MAIN("main", "the main thread", null),
    /** The JVM's own threads (GC, compiler, VM thread, signal dispatcher, attach listener). */
    JVM("jvm", "one of the JVM's own threads", null),
    /** A thread that started after the thread dump was taken. */
    UNKNOWN("?", "a thread not in the thread dump", null);

    private final String label;
    private final String description;
    private final PoolKind poolKind;

    ThreadKind(String label, String description, PoolKind poolKind) {
        this.label = label;
        this.description = description;
        this.poolKind = poolKind;
    }

    /** The short word {@code status} prints in its KIND column. */
    public String label() {
        return label;
    }

    /** "a plain thread of no java.util.concurrent pool". */
    public String description() {
        return description;
    }

    /** The pool kind a rule sees for this thread, or null when no rule can pin it. */
    public PoolKind poolKind() {
        return poolKind;
    }

    public static ThreadKind of(PoolKind kind) {
        for (ThreadKind k : values()) {
            if (k.poolKind == kind) {
                return k;
            }
        }
        throw new IllegalArgumentException(String.valueOf(kind));
    }
}
