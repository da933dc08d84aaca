package io.affinityagent.registry;

import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.placement.Placement;
import io.affinityagent.placement.Slot;

/**
 * One live worker the agent placed: its pool (none for an {@code any-thread} thread), rule, slot
 * and whether the kernel took the mask.
 *
 * <p>Made blank and filled once: a worker's record is made by the thread that starts it
 * ({@link WorkerRegistry#prepare}), so that the new thread's start allocates nothing (its first
 * allocation would set up its allocation buffer, on the agent's clock), and filled by the new
 * thread when it is placed, before the registry publishes it.
 *
 * <p>The pool is held strongly: a worker's thread holds its pool anyway (a
 * {@code ThreadPoolExecutor$Worker}'s enclosing instance, a ForkJoin worker's pool field) for
 * as long as it is a worker, and the record goes when the worker exits; a pool lets go of a
 * worker when it ends, so even a record whose exit went unseen keeps no thread alive, and goes
 * with its thread's weak key.
 */
public final class WorkerRecord {

    /** What happened when the mask was applied. */
    public enum PinState { PINNED, FAILED }

    private Object pool;
    private int poolIdentity;
    private String poolClassName;
    private PoolKind poolKind;
    private String threadName;
    private long javaThreadId;
    private volatile int nativeThreadId;
    private Rule rule;
    private Placement placement;
    private Slot slot;
    private volatile PinState state;
    private volatile String failure;
    private volatile long pinCallNanos;

    /** A blank record, to be {@link #fill filled} once. */
    WorkerRecord() {
    }

    public WorkerRecord(Object pool, PoolKind poolKind, Thread thread, int nativeThreadId, Rule rule,
                        Placement placement, Slot slot) {
        fill(pool, poolKind, thread, nativeThreadId).placed(rule, placement, slot);
    }

    /**
     * Fills a blank record with the worker: its pool (null for a thread of no pool) and its kind,
     * its thread and native id (-1 when not known yet: the pin of the calling thread tells it).
     */
    public WorkerRecord fill(Object pool, PoolKind poolKind, Thread thread, int nativeThreadId) {
        if (this.threadName != null) {
            throw new IllegalStateException("a worker record is filled once");
        }
        this.pool = pool;
        this.poolIdentity = pool == null ? 0 : System.identityHashCode(pool);
        // For a thread of no j.u.c. pool, its own class says most about who made it (a Netty or Tomcat thread).
        this.poolClassName = pool == null ? thread.getClass().getName() : pool.getClass().getName();
        this.poolKind = poolKind;
        this.threadName = thread.getName();
        this.javaThreadId = thread.getId();
        this.nativeThreadId = nativeThreadId;
        return this;
    }

    /** Where it was placed: its rule, and the slot of that rule's placement it holds. */
    public WorkerRecord placed(Rule rule, Placement placement, Slot slot) {
        this.rule = rule;
        this.placement = placement;
        this.slot = slot;
        return this;
    }

    /** The pool (always null for an any-thread thread). */
    public Object pool() {
        return pool;
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

    /** The worker's native id, learnt when it pinned itself (one system call told both). */
    public void identified(int nativeThreadId) {
        this.nativeThreadId = nativeThreadId;
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
