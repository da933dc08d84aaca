package io.affinityagent.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * a pool made one for a worker, or that a pinned thread started it and so it inherited a mask;
 * and, for a thread a rule may take, its blank record, made by the thread that starts it
 * ({@link #prepare}), so that the new thread's start allocates nothing: its entry here, the
 * record, and the pinned id's place all exist before it runs.
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

    /** Everything known of one thread; guarded by the registry's lock. */
    private static final class Entry {
        int marks;
        /** Its record once placed; null before, and after its release or exit. */
        WorkerRecord record;
        /** A blank record made before it ran, for its start to fill; null once used or when none was made. */
        WorkerRecord blank;
        boolean exited;

        boolean holdsNothing() {
            return marks == 0 && record == null && blank == null && !exited;
        }
    }

    private final WeakIdentityMap<Thread, Entry> threads =
            new WeakIdentityMap<>(new BiConsumer<Object, Entry>() { // a class, not a lambda: premain path
                @Override
                public void accept(Object ref, Entry entry) {
                    if (entry.record != null) {
                        placed--;
                        forget(entry.record);
                    }
                }
            });
    /** How many entries hold a record. */
    private int placed;
    private volatile Map<String, RuleCounters> counters = new ConcurrentHashMap<>();
    /** Native ids of the live threads whose mask the agent set: a parent's tid says whether a child inherited one. */
    private final ThreadIdSet pinnedThreadIds = new ThreadIdSet();
    private final AtomicLong inheritedMasksReset = new AtomicLong();

    /** Records a started worker; replaces (and gives back the slot of) an earlier record. */
    public void add(Thread thread, WorkerRecord record) {
        counters(record.rule().name()).matched.incrementAndGet();
        WorkerRecord previous;
        synchronized (this) {
            Entry e = entryOf(thread);
            previous = e.record;
            e.record = record;
            if (previous == null) {
                placed++;
            }
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
            Entry e = entryOf(thread);
            record = takeRecord(e);
            e.blank = null;
            e.exited = true;
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
            Entry e = threads.get(thread);
            record = e == null ? null : takeRecord(e);
        }
        if (record != null) {
            forget(record);
        }
        return record;
    }

    /** Whether the thread's pool has already seen it exit. */
    public synchronized boolean hasExited(Thread thread) {
        Entry e = threads.get(thread);
        return e != null && e.exited;
    }

    /** Starts the counters afresh (a new plan: its rules count from zero). */
    public void resetCounters() {
        counters = new ConcurrentHashMap<>();
    }

    public synchronized WorkerRecord get(Thread thread) {
        Entry e = threads.get(thread);
        return e == null ? null : e.record;
    }

    /**
     * On the thread that starts {@code thread}, which a rule may take: makes its entry and a
     * blank record now, so that its start, on the new thread, allocates nothing.
     */
    public synchronized void prepare(Thread thread) {
        Entry e = entryOf(thread);
        if (e.blank == null && e.record == null) {
            e.blank = new WorkerRecord();
        }
    }

    /** A blank record for {@code thread} to fill: the one {@link #prepare} made, else a new one. */
    public WorkerRecord blankRecord(Thread thread) {
        synchronized (this) {
            Entry e = threads.get(thread);
            if (e != null && e.blank != null) {
                WorkerRecord r = e.blank;
                e.blank = null;
                return r;
            }
        }
        return new WorkerRecord();
    }

    /** The thread's start is decided and did not place it: drops what was made for it before it ran. */
    public synchronized void dropPrepared(Thread thread) {
        Entry e = threads.get(thread);
        if (e != null) {
            e.blank = null;
            if (e.holdsNothing()) {
                threads.remove(thread);
            }
        }
    }

    /** The kernel took the record's mask, in a system call of {@code pinCallNanos}. */
    public void markPinned(WorkerRecord record, long pinCallNanos) {
        record.markPinned(pinCallNanos);
        pinnedThreadIds.add(record.nativeThreadId());
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
        return pinnedThreadIds.contains(nativeThreadId);
    }

    /** Notes something about a thread that has not started running yet. */
    public synchronized void mark(Thread thread, ThreadMark mark) {
        entryOf(thread).marks |= 1 << mark.ordinal();
    }

    /** Whether the thread carries a mark (left in place). */
    public synchronized boolean isMarked(Thread thread, ThreadMark mark) {
        Entry e = threads.get(thread);
        return e != null && (e.marks & (1 << mark.ordinal())) != 0;
    }

    /** Removes the thread's marks and says whether it carried {@code mark}. */
    public synchronized boolean takeMarks(Thread thread, ThreadMark mark) {
        Entry e = threads.get(thread);
        if (e == null) {
            return false;
        }
        boolean had = (e.marks & (1 << mark.ordinal())) != 0;
        e.marks = 0;
        if (e.holdsNothing()) {
            threads.remove(thread);
        }
        return had;
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
        List<Map.Entry<Thread, Entry>> all = threads.entries();
        List<Map.Entry<Thread, WorkerRecord>> out = new ArrayList<>(placed);
        for (Map.Entry<Thread, Entry> e : all) {
            WorkerRecord r = e.getValue().record;
            if (r != null) {
                out.add(Map.entry(e.getKey(), r));
            }
        }
        return out;
    }

    /** How many live workers the agent placed. */
    public synchronized int size() {
        threads.expunge();
        return placed;
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

    /** The thread's entry, made if it has none; under the lock. */
    private Entry entryOf(Thread thread) {
        Entry e = threads.get(thread);
        if (e == null) {
            e = new Entry();
            threads.put(thread, e);
        }
        return e;
    }

    /** Takes the record out of its entry; under the lock. */
    private WorkerRecord takeRecord(Entry e) {
        WorkerRecord r = e.record;
        if (r != null) {
            e.record = null;
            placed--;
        }
        return r;
    }

    private void forget(WorkerRecord record) {
        if (record.state() == WorkerRecord.PinState.PINNED) {
            pinnedThreadIds.remove(record.nativeThreadId());
        }
        record.placement().release(record.slot());
    }
}
