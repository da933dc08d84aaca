package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The live view's rates on samples recorded from the demo's unpinned run on a 2-CPU machine
 * (threads renumbered), and the cases a recording rarely shows: a thread born or its id reused
 * between two samples, a kernel without schedstat or sched.
 */
class LiveRatesTest {

    private static final long SECOND = 1_000_000_000L;

    private static ProcFs.ThreadCounters t(int tid, String name, String allowed, int lastCpu, long cpuNanos,
                                           long waitNanos, long voluntary, long involuntary, long migrations) {
        CpuSet cpus = allowed.equals("0-1") ? CpuSet.range(0, 1) : CpuSet.of(Integer.parseInt(allowed));
        return new ProcFs.ThreadCounters(new ProcFs.ThreadInfo(tid, name, cpus, lastCpu), cpuNanos, waitNanos >= 0,
                waitNanos, voluntary, involuntary, migrations);
    }

    /** The demo, unpinned: the order thread, its feed, two batch workers; the second sample 2 s later. */
    private static final LiveSample EARLIER = new LiveSample(5 * SECOND, List.of(
            t(101, "batch-1", "0-1", 1, 1_000_000_000L, 800_000_000L, 3, 500, 40),
            t(102, "batch-2", "0-1", 0, 1_200_000_000L, 700_000_000L, 4, 900, 38),
            t(103, "order-feed-1", "0-1", 1, 30_000_000L, 900_000_000L, 20_000, 2_000, 10),
            t(104, "order-1", "0-1", 0, 60_000_000L, 3_000_000L, 25_000, 12, 7)));
    private static final LiveSample LATER = new LiveSample(7 * SECOND, List.of(
            t(101, "batch-1", "0-1", 0, 1_524_000_000L, 2_546_000_000L, 3, 638, 42),
            t(102, "batch-2", "0-1", 1, 1_960_000_000L, 1_894_000_000L, 4, 2_480, 40),
            t(103, "order-feed-1", "0-1", 1, 63_000_000L, 2_572_000_000L, 30_000, 5_068, 10),
            t(104, "order-1", "0-1", 1, 122_000_000L, 9_000_000L, 35_000, 26, 8)));

    private static LiveRates.PoolRate pool(LiveRates.Frame f, String name) {
        return f.pools.stream().filter(p -> p.pool.equals(name)).findFirst().orElseThrow();
    }

    @Test
    void ratesAreTheCountersDifferencesPerSecondOfTheInterval() {
        LiveRates.Frame f = LiveRates.between(EARLIER, LATER, null);

        assertThat(f.seconds).isEqualTo(2.0);
        LiveRates.ThreadRate order = pool(f, "order-*").threads.get(0);
        assertThat(order.tid).isEqualTo(104);
        assertThat(order.cpuPercent).isCloseTo(3.1, within(1e-9)); // 62 ms in 2 s
        assertThat(order.waitPercent).isCloseTo(0.3, within(1e-9)); // 6 ms runnable, not running
        assertThat(order.involuntaryPerSecond).isEqualTo(7.0);
        assertThat(order.voluntaryPerSecond).isEqualTo(5_000.0);
        assertThat(order.migrationsPerSecond).isEqualTo(0.5);
        assertThat(order.rule).isNull();
        assertThat(order.promised).isNull();
        assertThat(f.sources.cpuFromSchedstat).isTrue();
        assertThat(f.sources.waitKnown).isTrue();
        assertThat(f.sources.migrationsCounted).isTrue();
    }

    @Test
    void aPoolIsTheThreadsNamedAlikeWithTheirRatesSummedInTheOrderOfTheirFirstThread() {
        LiveRates.Frame f = LiveRates.between(EARLIER, LATER, null);

        assertThat(f.pools).extracting(p -> p.pool).containsExactly("batch-*", "order-feed-*", "order-*");
        LiveRates.PoolRate batch = pool(f, "batch-*");
        assertThat(batch.threads).extracting(r -> r.tid).containsExactly(101, 102);
        assertThat(batch.cpuPercent).isCloseTo(26.2 + 38.0, within(1e-9));
        assertThat(batch.waitPercent).isCloseTo(87.3 + 59.7, within(1e-9));
        assertThat(batch.involuntaryPerSecond).isEqualTo(69.0 + 790.0);
        assertThat(batch.migrationsPerSecond).isEqualTo(2.0);
        assertThat(batch.allowed).isEqualTo(CpuSet.range(0, 1));
        assertThat(batch.ranOn).as("their last CPUs").isEqualTo(CpuSet.range(0, 1));
        assertThat(batch.rules).isEmpty();
        assertThat(batch.promised).isNull();
        assertThat(batch.idle()).isFalse();
    }

    @Test
    void threadsTheAgentPinnedHaveItsFullNameRuleAndCpus() {
        Properties p = new Properties();
        p.setProperty("affinity-agent.state", "active");
        p.setProperty("affinity-agent.thread.104", "orders 0 order-1");
        p.setProperty("affinity-agent.thread.103", "orders 0 order-feed-1");
        LiveSample pinned = new LiveSample(7 * SECOND, List.of(
                t(103, "order-feed-1", "0", 0, 63_000_000L, 912_000_000L, 30_000, 2_010, 10),
                t(104, "order-1", "0", 0, 122_000_000L, 3_100_000L, 35_000, 13, 7)));

        LiveRates.Frame f = LiveRates.between(EARLIER, pinned, AgentState.of(p));

        LiveRates.PoolRate order = pool(f, "order-*");
        assertThat(order.rules).containsExactly("orders");
        assertThat(order.promised).isEqualTo(CpuSet.of(0));
        assertThat(order.involuntaryPerSecond).isEqualTo(0.5);
        assertThat(order.migrationsPerSecond).isZero();
        assertThat(pool(f, "order-feed-*").involuntaryPerSecond).isEqualTo(5.0);
    }

    @Test
    void aThreadBornBetweenTheSamplesCountsFromZeroAndAReusedIdToo() {
        LiveSample later = new LiveSample(6 * SECOND, List.of(
                t(101, "batch-1", "0-1", 1, 100_000_000L, 0, 1, 5, 1), // id reused: counters went down
                t(200, "batch-3", "0-1", 1, 250_000_000L, 0, 1, 3, 2)));

        LiveRates.Frame f = LiveRates.between(EARLIER, later, null);

        assertThat(pool(f, "batch-*").threads).extracting(r -> r.cpuPercent).containsExactly(10.0, 25.0);
        assertThat(pool(f, "batch-*").involuntaryPerSecond).isEqualTo(8.0);
    }

    @Test
    void withoutSchedOrSchedstatAMoveIsAChangeOfTheLastCpuAndWaitIsUnknown() {
        LiveSample before = new LiveSample(0, List.of(t(1, "a", "0-1", 0, 0, -1, 0, 0, -1),
                t(2, "b", "0-1", 1, 0, -1, 0, 0, -1)));
        LiveSample after = new LiveSample(SECOND / 2, List.of(t(1, "a", "0-1", 1, 0, -1, 0, 0, -1),
                t(2, "b", "0-1", 1, 0, -1, 0, 0, -1)));

        LiveRates.Frame f = LiveRates.between(before, after, null);

        assertThat(pool(f, "a").threads.get(0).migrationsPerSecond).as("at least one move in 0.5 s").isEqualTo(2.0);
        assertThat(pool(f, "b").threads.get(0).migrationsPerSecond).isZero();
        assertThat(pool(f, "a").waitPercent).isNaN();
        assertThat(f.sources.waitKnown).isFalse();
        assertThat(f.sources.migrationsCounted).isFalse();
        assertThat(pool(f, "a").idle()).isTrue();
    }

    @Test
    void aPoolThatHardlyRunsBecauseItWaitsForACpuIsNotIdle() {
        LiveSample before = new LiveSample(0, List.of(t(1, "feed-1", "0-1", 0, 0, 0, 0, 0, 0),
                t(2, "gc-1", "0-1", 0, 0, 0, 0, 0, 0), t(3, "preempted-1", "0-1", 0, 0, 0, 0, 0, 0)));
        LiveSample after = new LiveSample(SECOND, List.of(t(1, "feed-1", "0-1", 0, 5_000_000L, 800_000_000L, 100, 0, 0),
                t(2, "gc-1", "0-1", 0, 5_000_000L, 1_000_000L, 3, 0, 0),
                t(3, "preempted-1", "0-1", 0, 5_000_000L, 0, 0, 5, 0)));

        LiveRates.Frame f = LiveRates.between(before, after, null);

        assertThat(pool(f, "feed-*").idle()).as("80% of its time waiting for a CPU").isFalse();
        assertThat(pool(f, "gc-*").idle()).isTrue();
        assertThat(pool(f, "preempted-*").idle()).as("preempted 5 times a second").isFalse();
    }

    @Test
    void poolNamesDropTheTrailingNumber() {
        assertThat(LiveRates.poolOf("order-12")).isEqualTo("order-*");
        assertThat(LiveRates.poolOf("pool-1-thread-3")).isEqualTo("pool-1-thread-*");
        assertThat(LiveRates.poolOf("GC Thread#0")).isEqualTo("GC Thread#*");
        assertThat(LiveRates.poolOf("ForkJoinPool.co")).as("the kernel's 15 bytes").isEqualTo("ForkJoinPool.co");
        assertThat(LiveRates.poolOf("main")).isEqualTo("main");
        assertThat(LiveRates.poolOf("42")).isEqualTo("42");
    }
}
