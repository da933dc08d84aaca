package io.affinityagent.registry;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The live workers the agent placed, keyed weakly by thread identity, and per-rule counters.
 * A worker is added when it starts and removed when it exits, which gives its slot back to its
 * placement. Should a worker vanish without its exit being seen (it started before a detach and
 * ended after it), its slot is given back when its thread is collected, so loads cannot leak.
 *
 * <p>Also what is known of threads that have not started running yet ({@link ThreadMark}): that
 * a pool made one for a worker, or that a pinned thread started it and so it inherited a mask.
 *
 * <p>Workers that have exited are remembered (weakly) too: a thread is still alive for a moment
 * after its pool's exit hook ran, and a re-plan that finds it running then must not take a
 * slot for it that nothing would ever give back.
 */
public final class WorkerRegistry {

    /** What is known of a thread between its creation and the moment it starts running. */
    public enum ThreadMark {
        /** A ThreadPoolExecutor made it for a worker: runWorker, not Thread.run, decides for it. */
        POOL_WORKER,
        /** A thread the agent pinned started it, so it starts with that thread's mask, not the process's. */
        STARTED_BY_PINNED,
        /** One of the agent's own threads (the cpuset watch): never placed, whatever its name matches. */
        AGENT_THREAD
    }

    private final WeakIdentityMap<Thread, WorkerRecord> workers =
            new WeakIdentityMap<>(new BiConsumer<Object, WorkerRecord>() { // a class, not a lambda: premain path
                @Override
                public void accept(Object ref, WorkerRecord record) {
                    forget(record);
                }
            });
    private final WeakIdentityMap<Thread, int[]> marks = new WeakIdentityMap<>(null);
    private final WeakIdentityMap<Thread, Boolean> exited = new WeakIdentityMap<>(null);
    private volatile Map<String, RuleCounters> counters = new ConcurrentHashMap<>();
    /** Native ids of the live threads whose mask the agent set: a parent's tid says whether a child inherited one. */
    private final Set<Integer> pinnedThreadIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong inheritedMasksReset = new AtomicLong();

    /** Records a started worker; replaces (and gives back the slot of) an earlier record. */
    public void add(Thread thread, WorkerRecord record) {
        counters(record.rule().name()).matched.incrementAndGet();
        WorkerRecord previous;
        synchronized (this) {
            previous = workers.put(thread, record);
        }
        if (previous != null) {
            forget(previous);
        }
    }

    /**
     * The worker exited: forget it, give its slot back, and remember that it is gone. Returns
     * its record, or null when the agent had not placed it.
     */
    public WorkerRecord workerExited(Thread thread) {
        WorkerRecord record;
        synchronized (this) {
            record = workers.remove(thread);
            exited.put(thread, Boolean.TRUE);
        }
        if (record != null) {
            forget(record);
            counters(record.rule().name()).exited.incrementAndGet();
        }
        return record;
    }

    /** The worker stays but the agent lets go of it (detach, or no rule of a new plan matches). */
    public WorkerRecord release(Thread thread) {
        WorkerRecord record;
        synchronized (this) {
            record = workers.remove(thread);
        }
        if (record != null) {
            forget(record);
        }
        return record;
    }

    /** Whether the thread's pool has already seen it exit. */
    public synchronized boolean hasExited(Thread thread) {
        return exited.get(thread) != null;
    }

    /** Starts the counters afresh (a new plan: its rules count from zero). */
    public void resetCounters() {
        counters = new ConcurrentHashMap<>();
    }

    public synchronized WorkerRecord get(Thread thread) {
        return workers.get(thread);
    }

    /** The kernel took the record's mask, in a system call of {@code pinCallNanos}. */
    public void markPinned(WorkerRecord record, long pinCallNanos) {
        record.markPinned(pinCallNanos);
        if (record.nativeThreadId() > 0) {
            pinnedThreadIds.add(record.nativeThreadId());
        }
        counters(record.rule().name()).pinned.incrementAndGet();
    }

    /** Whether some live thread has a mask the agent set (cheap: checked on every Thread.start). */
    public boolean anyPinned() {
        return !pinnedThreadIds.isEmpty();
    }

    /**
     * Whether the agent set the mask of the OS thread with this native id. By native id because
     * a virtual thread that starts a thread does so on its carrier, whose mask the child gets.
     */
    public boolean isPinned(int nativeThreadId) {
        return nativeThreadId > 0 && pinnedThreadIds.contains(nativeThreadId);
    }

    /** Notes something about a thread that has not started running yet. */
    public void mark(Thread thread, ThreadMark mark) {
        synchronized (marks) {
            int[] bits = marks.get(thread);
            if (bits == null) {
                marks.put(thread, new int[] {1 << mark.ordinal()});
            } else {
                bits[0] |= 1 << mark.ordinal();
            }
        }
    }

    /** Whether the thread carries a mark (left in place). */
    public boolean isMarked(Thread thread, ThreadMark mark) {
        synchronized (marks) {
            int[] bits = marks.get(thread);
            return bits != null && (bits[0] & (1 << mark.ordinal())) != 0;
        }
    }

    /** Removes the thread's marks and says whether it carried {@code mark}. */
    public boolean takeMarks(Thread thread, ThreadMark mark) {
        synchronized (marks) {
            int[] bits = marks.remove(thread);
            return bits != null && (bits[0] & (1 << mark.ordinal())) != 0;
        }
    }

    /** Counts a thread that inherited a pinned mask, matched no rule and got the process's CPUs back; returns the total. */
    public long countInheritedMaskReset() {
        return inheritedMasksReset.incrementAndGet();
    }

    /** How many threads got the process's CPUs back after inheriting a pinned mask. */
    public long inheritedMasksReset() {
        return inheritedMasksReset.get();
    }

    public void markFailed(WorkerRecord record, String reason) {
        record.markFailed(reason);
        counters(record.rule().name()).failed.incrementAndGet();
    }

    /** The live workers and their threads, copied out. */
    public synchronized List<Map.Entry<Thread, WorkerRecord>> workers() {
        return workers.entries();
    }

    public synchronized int size() {
        return workers.size();
    }

    public RuleCounters counters(String rule) {
        Map<String, RuleCounters> all = counters;
        RuleCounters c = all.get(rule);
        if (c == null) { // no computeIfAbsent with a method reference: this runs at JVM start
            c = new RuleCounters(rule);
            RuleCounters earlier = all.putIfAbsent(rule, c);
            if (earlier != null) {
                c = earlier;
            }
        }
        return c;
    }

    private void forget(WorkerRecord record) {
        if (record.state() == WorkerRecord.PinState.PINNED) {
            pinnedThreadIds.remove(record.nativeThreadId());
        }
        record.placement().release(record.slot());
    }
}
