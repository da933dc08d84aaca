package io.affinityagent.engine;

import io.affinityagent.config.PoolKind;

/**
 * What is known of one thread when an event about it is decided: its name, its pool and the
 * pool's kind ({@link PoolKind#ANY_THREAD} for a thread of no pool), and whether it started with
 * a mask the agent set on its parent. Classifying the thread is the jdk package's job; the
 * engine decides from these facts alone.
 *
 * <p>A starting thread's facts are written into a scratch object of the engine's, used only
 * under one lock and never kept ({@link #refill}), so that a start allocates nothing; whatever
 * keeps facts keeps a {@link #copy}.
 */
public final class ThreadFacts {

    private String name;
    private PoolKind kind;
    private Object pool;
    private boolean inheritedPinnedMask;

    private ThreadFacts(String name, PoolKind kind, Object pool) {
        this.name = name;
        this.kind = kind;
        this.pool = pool;
    }

    /** A worker of {@code pool}, a pool of kind {@code kind}. */
    public static ThreadFacts worker(String name, PoolKind kind, Object pool) {
        return new ThreadFacts(name, kind, pool);
    }

    /** A platform thread of no pool. */
    public static ThreadFacts plainThread(String name) {
        return new ThreadFacts(name, PoolKind.ANY_THREAD, null);
    }

    /** Facts to {@link #refill}: a starting thread's, under the lock that guards this object. */
    static ThreadFacts scratch() {
        return new ThreadFacts(null, null, null);
    }

    /**
     * Replaces every fact (a mask inherited from a pinned thread is noted after, by
     * {@link #startedByPinnedThread}); for a {@link #scratch} object only.
     */
    ThreadFacts refill(String name, PoolKind kind, Object pool) {
        this.name = name;
        this.kind = kind;
        this.pool = pool;
        this.inheritedPinnedMask = false;
        return this;
    }

    /** The same facts in an object of their own, to keep. */
    ThreadFacts copy() {
        ThreadFacts kept = new ThreadFacts(name, kind, pool);
        kept.inheritedPinnedMask = inheritedPinnedMask;
        return kept;
    }

    /** Notes that the thread was started by a thread the agent pinned, so it carries that thread's mask. */
    public ThreadFacts startedByPinnedThread() {
        inheritedPinnedMask = true;
        return this;
    }

    public String name() {
        return name;
    }

    public PoolKind kind() {
        return kind;
    }

    /** The pool, or null for a plain thread. */
    public Object pool() {
        return pool;
    }

    public boolean inheritedPinnedMask() {
        return inheritedPinnedMask;
    }
}
