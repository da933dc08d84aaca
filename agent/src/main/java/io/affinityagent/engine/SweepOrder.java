package io.affinityagent.engine;

import io.affinityagent.config.PoolKind;
import io.affinityagent.jdk.RunningThread;
import io.affinityagent.jdk.ThreadClassifier;
import io.affinityagent.registry.WorkerRecord;
import io.affinityagent.registry.WorkerRegistry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The threads a sweep places, and in what order: the platform threads found running and the
 * threads the registry holds from an earlier plan, pool by pool in thread order, so that each
 * rule's round-robin spreads every pool over its CPUs. Threads of no pool (what any-thread rules
 * match), running or held, form one group of their own.
 */
final class SweepOrder {

    /** A thread to place, with the facts its decision needs and its Java id (for the thread dump). */
    static final class Candidate {
        private final Thread thread;
        private final ThreadFacts facts;
        private final long javaId;

        Candidate(Thread thread, ThreadFacts facts, long javaId) {
            this.thread = thread;
            this.facts = facts;
            this.javaId = javaId;
        }

        Thread thread() {
            return thread;
        }

        ThreadFacts facts() {
            return facts;
        }

        long javaId() {
            return javaId;
        }
    }

    private static final Object NO_POOL = new Object();

    private SweepOrder() {
    }

    static List<Candidate> of(List<RunningThread> running, WorkerRegistry registry) {
        Map<Thread, Candidate> seen = new IdentityHashMap<>();
        Map<Object, List<Candidate>> byPool = new IdentityHashMap<>();
        List<Object> poolOrder = new ArrayList<>();
        for (RunningThread r : running) {
            ThreadFacts facts = factsOf(r);
            if (facts != null && !seen.containsKey(r.thread())) {
                add(seen, byPool, poolOrder, new Candidate(r.thread(), facts, r.javaId()));
            }
        }
        for (Map.Entry<Thread, WorkerRecord> e : registry.workers()) {
            WorkerRecord w = e.getValue();
            boolean plain = w.poolKind() == PoolKind.ANY_THREAD;
            Object pool = w.pool();
            if ((plain || pool != null) && !seen.containsKey(e.getKey())) {
                ThreadFacts facts = plain ? ThreadFacts.plainThread(w.threadName())
                        : ThreadFacts.worker(w.threadName(), w.poolKind(), pool);
                add(seen, byPool, poolOrder, new Candidate(e.getKey(), facts, w.javaThreadId()));
            }
        }
        List<Candidate> out = new ArrayList<>(seen.size());
        for (Object pool : poolOrder) {
            out.addAll(byPool.get(pool));
        }
        return out;
    }

    /**
     * Whether some running thread that the plan matches is not in the registry yet, so that
     * a thread dump is worth its safepoint (it is the only source of their native ids).
     */
    static boolean needsNativeIds(Plan plan, List<RunningThread> running, WorkerRegistry registry) {
        if (plan == null) {
            return false;
        }
        for (RunningThread r : running) {
            ThreadFacts facts = factsOf(r);
            if (facts != null && registry.get(r.thread()) == null && PinningPolicy.matchOf(plan, facts) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The facts of a running thread: a pool worker with its pool, any other platform thread as a
     * plain one (what any-thread rules match, whatever its class: a Thread subclass that overrides
     * run() included, which the Thread.run hook never sees); null for a thread a sweep leaves alone.
     */
    private static ThreadFacts factsOf(RunningThread r) {
        Thread t = r.thread();
        if (ThreadClassifier.isVirtual(t)) {
            return null;
        }
        if (r.pool() == null) {
            return ThreadClassifier.isForkJoinWorker(t) ? null : ThreadFacts.plainThread(t.getName());
        }
        PoolKind kind = ThreadClassifier.kindOf(r.pool(), t);
        return kind == null ? null : ThreadFacts.worker(t.getName(), kind, r.pool());
    }

    private static void add(Map<Thread, Candidate> seen, Map<Object, List<Candidate>> byPool, List<Object> poolOrder,
                            Candidate c) {
        seen.put(c.thread(), c);
        Object pool = c.facts().pool() == null ? NO_POOL : c.facts().pool();
        List<Candidate> group = byPool.get(pool);
        if (group == null) {
            group = new ArrayList<>();
            byPool.put(pool, group);
            poolOrder.add(pool);
        }
        group.add(c);
    }
}
