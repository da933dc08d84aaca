package io.affinityagent.cli;

import io.affinityagent.config.CpuContext;
import io.affinityagent.config.CpuList;
import io.affinityagent.config.CpuListException;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live view's figures: per thread and per pool, what changed between two samples of /proc,
 * per second. Pure: built from samples and what the agent published, so it is tested on
 * recorded samples.
 *
 * <p>A pool is the threads whose names differ only in their trailing number ({@code order-1},
 * {@code order-2}: {@code order-*}), which is how pools name their workers. Names are the
 * agent's (the full Java name) for the threads it pinned, the kernel's (15 bytes) for the rest.
 */
final class LiveRates {

    /** One thread over the interval. */
    static final class ThreadRate {
        final int tid;
        final String name;
        final String pool;
        /** The rule that pinned it, or null. */
        final String rule;
        /** The CPUs the agent gave it, or null when it did not pin it. */
        final CpuSet promised;
        /** Cpus_allowed_list now. */
        final CpuSet allowed;
        final int lastCpu;
        /** 100 = one CPU's whole time. */
        final double cpuPercent;
        /** Time runnable but waiting for a CPU, 100 = the whole interval; NaN when the kernel does not say. */
        final double waitPercent;
        final double involuntaryPerSecond;
        final double voluntaryPerSecond;
        final double migrationsPerSecond;

        ThreadRate(int tid, String name, String pool, String rule, CpuSet promised, CpuSet allowed, int lastCpu,
                   double cpuPercent, double waitPercent, double involuntaryPerSecond, double voluntaryPerSecond,
                   double migrationsPerSecond) {
            this.tid = tid;
            this.name = name;
            this.pool = pool;
            this.rule = rule;
            this.promised = promised;
            this.allowed = allowed;
            this.lastCpu = lastCpu;
            this.cpuPercent = cpuPercent;
            this.waitPercent = waitPercent;
            this.involuntaryPerSecond = involuntaryPerSecond;
            this.voluntaryPerSecond = voluntaryPerSecond;
            this.migrationsPerSecond = migrationsPerSecond;
        }
    }

    /** The threads of one pool together: sums of their rates, unions of their CPUs. */
    static final class PoolRate {
        final String pool;
        final List<ThreadRate> threads;
        /** The rules of its threads, in order; empty when none was pinned. */
        final List<String> rules;
        /** What the agent gave its threads, or null when it pinned none of them. */
        final CpuSet promised;
        final CpuSet allowed;
        /** The CPUs its threads last ran on. */
        final CpuSet ranOn;
        final double cpuPercent;
        final double waitPercent;
        final double involuntaryPerSecond;
        final double voluntaryPerSecond;
        final double migrationsPerSecond;

        PoolRate(String pool, List<ThreadRate> threads) {
            this.pool = pool;
            this.threads = Collections.unmodifiableList(threads);
            Set<String> r = new LinkedHashSet<>();
            CpuSet.Builder promisedCpus = CpuSet.builder();
            CpuSet.Builder allowedCpus = CpuSet.builder();
            CpuSet.Builder ran = CpuSet.builder();
            boolean anyPromised = false;
            double cpu = 0;
            double wait = 0;
            double involuntary = 0;
            double voluntary = 0;
            double migrations = 0;
            for (ThreadRate t : threads) {
                if (t.rule != null) {
                    r.add(t.rule);
                }
                if (t.promised != null) {
                    promisedCpus.addAll(t.promised);
                    anyPromised = true;
                }
                allowedCpus.addAll(t.allowed);
                if (t.lastCpu >= 0) {
                    ran.add(t.lastCpu);
                }
                cpu += t.cpuPercent;
                wait += t.waitPercent;
                involuntary += t.involuntaryPerSecond;
                voluntary += t.voluntaryPerSecond;
                migrations += t.migrationsPerSecond;
            }
            this.rules = Collections.unmodifiableList(new ArrayList<>(r));
            this.promised = anyPromised ? promisedCpus.build() : null;
            this.allowed = allowedCpus.build();
            this.ranOn = ran.build();
            this.cpuPercent = cpu;
            this.waitPercent = wait;
            this.involuntaryPerSecond = involuntary;
            this.voluntaryPerSecond = voluntary;
            this.migrationsPerSecond = migrations;
        }

        /**
         * Whether it did nothing worth a line of its own: no rule, under 1% of a CPU, and neither
         * waiting for one nor preempted to speak of (a thread that hardly runs because it cannot is
         * not idle).
         */
        boolean idle() {
            return rules.isEmpty() && cpuPercent < 1.0 && !(waitPercent >= 1.0) && involuntaryPerSecond < 1.0;
        }
    }

    /** Where the figures came from, for the legend: the kernel's files differ by its configuration. */
    static final class Sources {
        /** CPU time from schedstat in nanoseconds (else stat's 10 ms ticks). */
        final boolean cpuFromSchedstat;
        /** Run-queue wait known (schedstat). */
        final boolean waitKnown;
        /** Migrations counted by the kernel (sched's se.nr_migrations), else changes of the last CPU (a lower bound). */
        final boolean migrationsCounted;

        Sources(boolean cpuFromSchedstat, boolean waitKnown, boolean migrationsCounted) {
            this.cpuFromSchedstat = cpuFromSchedstat;
            this.waitKnown = waitKnown;
            this.migrationsCounted = migrationsCounted;
        }
    }

    /** The rates between two samples. */
    static final class Frame {
        final double seconds;
        final List<PoolRate> pools;
        final Sources sources;

        Frame(double seconds, List<PoolRate> pools, Sources sources) {
            this.seconds = seconds;
            this.pools = Collections.unmodifiableList(pools);
            this.sources = sources;
        }
    }

    private LiveRates() {
    }

    /**
     * The rates of the threads of {@code later}, from their counters in {@code earlier} (a thread
     * started in between counts from zero); pools in the order of their first thread's id.
     *
     * @param agent what the agent published, or null when unknown or absent
     */
    static Frame between(LiveSample earlier, LiveSample later, AgentState agent) {
        long nanos = later.nanoTime() - earlier.nanoTime();
        if (nanos <= 0) {
            throw new IllegalArgumentException("the later sample must be later: " + nanos + " ns apart");
        }
        double seconds = nanos / 1e9;
        boolean cpuExact = true;
        boolean waitKnown = true;
        boolean migrationsCounted = true;
        Map<String, List<ThreadRate>> byPool = new LinkedHashMap<>();
        for (ProcFs.ThreadCounters now : later.threads().values()) {
            ProcFs.ThreadCounters before = earlier.threads().get(now.info().tid());
            ThreadRate rate = rate(before, now, seconds, agent);
            cpuExact &= now.cpuNanosExact();
            waitKnown &= now.runQueueWaitNanos() >= 0;
            migrationsCounted &= now.migrations() >= 0 && (before == null || before.migrations() >= 0);
            byPool.computeIfAbsent(rate.pool, k -> new ArrayList<>()).add(rate);
        }
        List<PoolRate> pools = new ArrayList<>();
        for (Map.Entry<String, List<ThreadRate>> e : byPool.entrySet()) {
            pools.add(new PoolRate(e.getKey(), e.getValue()));
        }
        return new Frame(seconds, pools, new Sources(cpuExact, waitKnown, migrationsCounted));
    }

    private static ThreadRate rate(ProcFs.ThreadCounters before, ProcFs.ThreadCounters now, double seconds,
                                   AgentState agent) {
        int tid = now.info().tid();
        AgentState.PinnedThread pinned = agent == null ? null : agent.threads().get(tid);
        String name = pinned != null && pinned.name != null ? pinned.name : now.info().name();
        double cpu = delta(before == null ? 0 : before.cpuNanos(), now.cpuNanos()) / 1e9 / seconds * 100;
        double wait = now.runQueueWaitNanos() < 0 || (before != null && before.runQueueWaitNanos() < 0) ? Double.NaN
                : delta(before == null ? 0 : before.runQueueWaitNanos(), now.runQueueWaitNanos()) / 1e9 / seconds * 100;
        double involuntary = delta(before == null ? 0 : before.involuntarySwitches(), now.involuntarySwitches()) / seconds;
        double voluntary = delta(before == null ? 0 : before.voluntarySwitches(), now.voluntarySwitches()) / seconds;
        double migrations;
        if (now.migrations() >= 0 && (before == null || before.migrations() >= 0)) {
            migrations = delta(before == null ? 0 : before.migrations(), now.migrations()) / seconds;
        } else {
            // No counter: a change of the last CPU is at least one move (a lower bound).
            migrations = before != null && before.info().lastCpu() != now.info().lastCpu() ? 1 / seconds : 0;
        }
        return new ThreadRate(tid, name, poolOf(name), pinned != null ? pinned.rule : null,
                pinned != null ? cpus(pinned.cpus) : null, now.info().allowedCpus(), now.info().lastCpu(), cpu, wait,
                involuntary, voluntary, migrations);
    }

    /** Counters only grow; a smaller one is another thread that got the same id (ids are reused). */
    private static long delta(long before, long now) {
        if (now < 0) {
            return 0;
        }
        return now >= before && before >= 0 ? now - before : now;
    }

    /**
     * The pool a thread's name says it belongs to: the name without its trailing number, with a
     * {@code *} for it ({@code order-12}: {@code order-*}; {@code GC Thread#0}: {@code GC Thread#*});
     * a name without one is a pool of its own.
     */
    static String poolOf(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1))) {
            end--;
        }
        return end == name.length() || end == 0 ? name : name.substring(0, end) + "*";
    }

    private static CpuSet cpus(String list) {
        try {
            return CpuList.parse(list).resolve(CpuContext.of(CpuSet.empty()));
        } catch (CpuListException e) {
            return CpuSet.empty();
        }
    }
}
