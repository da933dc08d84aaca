package io.affinityagent.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live workers the agent placed, keyed weakly by thread identity, and per-rule counters.
 * A worker is added when it starts and removed when it exits, which gives its slot back to its
 * placement. Should a worker vanish without its exit being seen (it started before a detach and
 * ended after it), its slot is given back when its thread is collected, so loads cannot leak.
 *
 * <p>Workers that have exited are remembered (weakly) too: a thread is still alive for a moment
 * after its pool's exit hook ran, and a re-plan that finds it running then must not take a
 * slot for it that nothing would ever give back.
 */
public final class WorkerRegistry {

    private final WeakIdentityMap<Thread, WorkerRecord> workers =
            new WeakIdentityMap<>((ref, record) -> giveBack(record));
    private final WeakIdentityMap<Thread, Boolean> exited = new WeakIdentityMap<>(null);
    private volatile Map<String, RuleCounters> counters = new ConcurrentHashMap<>();

    /** Records a started worker; replaces (and gives back the slot of) an earlier record. */
    public void add(Thread thread, WorkerRecord record) {
        counters(record.rule().name()).matched.incrementAndGet();
        WorkerRecord previous;
        synchronized (this) {
            previous = workers.put(thread, record);
        }
        if (previous != null) {
            giveBack(previous);
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
            giveBack(record);
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
            giveBack(record);
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

    public void markPinned(WorkerRecord record) {
        record.markPinned();
        counters(record.rule().name()).pinned.incrementAndGet();
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

    /** Live workers per rule, in first-seen order. */
    public Map<String, Integer> workerCountByRule() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<Thread, WorkerRecord> e : workers()) {
            out.merge(e.getValue().rule().name(), 1, Integer::sum);
        }
        return out;
    }

    /** The distinct live pools that have placed workers. */
    public List<Object> pools() {
        List<Object> pools = new ArrayList<>();
        for (Map.Entry<Thread, WorkerRecord> e : workers()) {
            Object pool = e.getValue().pool();
            if (pool != null && pools.stream().noneMatch(p -> p == pool)) {
                pools.add(pool);
            }
        }
        return pools;
    }

    public RuleCounters counters(String rule) {
        return counters.computeIfAbsent(rule, RuleCounters::new);
    }

    public List<RuleCounters> allCounters() {
        return new ArrayList<>(counters.values());
    }

    private static void giveBack(WorkerRecord record) {
        record.placement().release(record.slot());
    }
}
