package io.affinityagent.registry;

import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.placement.Placement;
import io.affinityagent.placement.Slot;
import java.lang.ref.WeakReference;

/**
 * One live worker the agent placed: its pool (none for an {@code any-thread} thread), rule, slot
 * and whether the kernel took the mask.
 */
public final class WorkerRecord {

    /** What happened when the mask was applied. */
    public enum PinState { PINNED, FAILED }

    private final WeakReference<Object> pool;
    private final int poolIdentity;
    private final String poolClassName;
    private final PoolKind poolKind;
    private final String threadName;
    private final long javaThreadId;
    private final int nativeThreadId;
    private final Rule rule;
    private final Placement placement;
    private final Slot slot;
    private volatile PinState state;
    private volatile String failure;
    private volatile long pinCallNanos;

    public WorkerRecord(Object pool, PoolKind poolKind, Thread thread, int nativeThreadId, Rule rule,
                        Placement placement, Slot slot) {
        this.pool = new WeakReference<>(pool);
        this.poolIdentity = pool == null ? 0 : System.identityHashCode(pool);
        // For a thread of no j.u.c. pool, its own class says most about who made it (a Netty or Tomcat thread).
        this.poolClassName = pool == null ? thread.getClass().getName() : pool.getClass().getName();
        this.poolKind = poolKind;
        this.threadName = thread.getName();
        this.javaThreadId = thread.getId();
        this.nativeThreadId = nativeThreadId;
        this.rule = rule;
        this.placement = placement;
        this.slot = slot;
    }

    /** The pool, or null once it is garbage (always null for an any-thread thread). */
    public Object pool() {
        return pool.get();
    }

    public int poolIdentity() {
        return poolIdentity;
    }

    /** The executor's class; for an any-thread thread, the thread's class. */
    public String poolClassName() {
        return poolClassName;
    }

    public PoolKind poolKind() {
        return poolKind;
    }

    /** The thread's name when it started. */
    public String threadName() {
        return threadName;
    }

    public long javaThreadId() {
        return javaThreadId;
    }

    /** The Linux tid, or -1 when it could not be read. */
    public int nativeThreadId() {
        return nativeThreadId;
    }

    public Rule rule() {
        return rule;
    }

    /** The placement the slot belongs to; the slot goes back to it even after a reconfigure. */
    public Placement placement() {
        return placement;
    }

    public Slot slot() {
        return slot;
    }

    public PinState state() {
        return state;
    }

    public String failure() {
        return failure;
    }

    /**
     * How long the system call that pinned it took, in nanoseconds (with a move, the migration and
     * the wait for the target CPU included); 0 before it was pinned.
     */
    public long pinCallNanos() {
        return pinCallNanos;
    }

    void markPinned(long pinCallNanos) {
        this.pinCallNanos = pinCallNanos;
        state = PinState.PINNED;
        failure = null;
    }

    void markFailed(String reason) {
        state = PinState.FAILED;
        failure = reason;
    }
}
