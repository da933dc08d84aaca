package io.affinityagent.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.CpuContext;
import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.cpu.CpuSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What check prints for a 2-socket, 64-core, hyper-threaded machine, planned on any machine. */
class PlanExplanationTest {

    @TempDir
    Path dir;

    /** 2 sockets x 32 cores x 2 threads, a node per socket; socket 0 is CPUs 0-31 and 64-95. */
    @BeforeEach
    void writeTopology() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# 2 x Xeon, 32 cores each, hyper-threaded");
        for (int cpu = 0; cpu < 128; cpu++) {
            int core = cpu % 64;
            lines.add("cpu=" + cpu + " core=" + (core % 32) + " socket=" + (core / 32) + " node=" + (core / 32));
        }
        Files.write(dir.resolve("server.topology"), lines);
    }

    private PlanExplanation preview(String... config) throws IOException {
        Path file = dir.resolve("affinity.properties");
        Files.write(file, List.of(config));
        // Planned on a 2-CPU process: the topology file's machine is the one planned for.
        ConfigLoader.Result r = ConfigLoader.load(file, CpuContext.of(CpuSet.range(0, 1)), ConfigLoader.Overrides.NONE,
                ConfigLoader.Target.TOPOLOGY_FILE);
        assertThat(r.problems()).isEmpty();
        return new PlanExplanation(r.config());
    }

    @Test
    void theRuleTablesWordsAgreeWithTheWorkerLinesForEveryStrategy() throws IOException {
        for (io.affinityagent.config.Strategy strategy : io.affinityagent.config.Strategy.values()) {
            PlanExplanation preview = preview(
                    "topology = server.topology",
                    "reserved = 0,64",
                    "rule.r.thread-name = r-*",
                    "rule.r.cpus = socket:0",
                    "rule.r.strategy = " + strategy.configName());
            io.affinityagent.config.Rule rule = preview.config().rules().get(0);
            String words = preview.eachWorkerGets(rule);
            if (strategy == io.affinityagent.config.Strategy.SHARED) {
                assertThat(words).isEqualTo("all of CPUs " + rule.cpus());
                continue;
            }
            List<CpuSet> masks = preview.placements(rule, preview.slots(rule));
            if (strategy == io.affinityagent.config.Strategy.PER_CORE) {
                // The table said a CPU for per-core while the worker lines showed whole cores: now both say a core.
                assertThat(words).as(strategy.configName()).startsWith("the CPUs of one core of " + rule.cpus());
                assertThat(masks).allSatisfy(m -> assertThat(m.size()).isEqualTo(2));
            } else {
                assertThat(words).as(strategy.configName()).startsWith("one CPU of " + rule.cpus());
                assertThat(masks).allSatisfy(m -> assertThat(m.size()).isEqualTo(1));
            }
            assertThat(masks.stream().reduce(CpuSet.empty(), CpuSet::union)).isEqualTo(rule.cpus());
        }
    }

    @Test
    void spreadOverBothSocketsWorkerByWorker() throws IOException {
        PlanExplanation preview = preview(
                "topology = server.topology",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = all",
                "rule.orders.strategy = spread");

        assertThat(preview.withWorkers(6).lines()).containsExactly(
                "topology: 2 sockets, 2 NUMA nodes, 64 cores, 128 CPUs (from " + dir.resolve("server.topology") + ")",
                "rule orders (thread-name=order-*): spread over CPUs 0-127 (64 cores on 2 sockets)",
                "  worker 1 -> CPU 0      core 0,64       socket 0  node 0",
                "  worker 2 -> CPU 32     core 32,96      socket 1  node 1",
                "  worker 3 -> CPU 1      core 1,65       socket 0  node 0",
                "  worker 4 -> CPU 33     core 33,97      socket 1  node 1",
                "  worker 5 -> CPU 2      core 2,66       socket 0  node 0",
                "  worker 6 -> CPU 34     core 34,98      socket 1  node 1",
                "  ... 122 more CPUs before two workers share one");
    }

    @Test
    void spreadReachesTheSecondHardwareThreadsOnlyAfterEveryCore() throws IOException {
        PlanExplanation preview = preview(
                "topology = server.topology",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = all",
                "rule.orders.strategy = spread");
        List<CpuSet> placements = preview.placements(preview.config().rule("orders"), 130);

        for (int w = 0; w < 64; w++) {
            assertThat(placements.get(w).first()).as("worker %d", w + 1).isLessThan(64);
        }
        assertThat(placements.get(64)).isEqualTo(CpuSet.of(64));
        assertThat(placements.get(65)).isEqualTo(CpuSet.of(96));
        assertThat(placements.subList(0, 128)).doesNotHaveDuplicates();
        assertThat(placements.subList(128, 130)).containsExactly(CpuSet.of(0), CpuSet.of(32));
    }

    @Test
    void perCoreAndCompactOnOneSocketWithReservedCpus() throws IOException {
        PlanExplanation preview = preview(
                "topology = server.topology",
                "reserved = 0,64",
                "rules = hot, batch, rest",
                "rule.hot.thread-name = hot-*",
                "rule.hot.cpus = socket:0",
                "rule.hot.strategy = per-core",
                "rule.batch.pool = thread-pool",
                "rule.batch.cpus = socket:1",
                "rule.batch.strategy = compact",
                "rule.rest.pool = any-thread",
                "rule.rest.thread-name = *",
                "rule.rest.cpus = node:0",
                "rule.rest.strategy = shared",
                "rule.rest.share-cpus = true");

        assertThat(preview.withWorkers(3).lines()).containsExactly(
                "topology: 2 sockets, 2 NUMA nodes, 64 cores, 128 CPUs (from " + dir.resolve("server.topology") + ")",
                "reserved: CPUs 0,64 (no rule uses them)",
                "rule hot (thread-name=hot-*): per-core over CPUs 1-31,65-95 (31 cores on 1 socket)",
                "  worker 1 -> CPUs 1,65  core 1,65       socket 0  node 0",
                "  worker 2 -> CPUs 2,66  core 2,66       socket 0  node 0",
                "  worker 3 -> CPUs 3,67  core 3,67       socket 0  node 0",
                "  ... 28 more cores before two workers share one",
                "rule batch (pool=thread-pool): compact over CPUs 32-63,96-127 (32 cores on 1 socket)",
                "  worker 1 -> CPU 32     core 32,96      socket 1  node 1",
                "  worker 2 -> CPU 96     core 32,96      socket 1  node 1",
                "  worker 3 -> CPU 33     core 33,97      socket 1  node 1",
                "  ... 61 more CPUs before two workers share one",
                "rule rest (thread-name=* pool=any-thread): shared over CPUs 1-31,65-95 (31 cores on 1 socket)",
                "  every worker -> CPUs 1-31,65-95");
    }

    @Test
    void theRuleTableTheWorkerLinesTheStartUpLinesAndTheCheckOfAMaskAgree() throws IOException {
        // A two-socket server, 2 hardware threads per core: CPUs N and N+64 share a core.
        PlanExplanation plan = preview(
                "topology = server.topology",
                "reserved = 0,64",
                "rules = hot, batch, rest",
                "rule.hot.thread-name = hot-*",
                "rule.hot.cpus = socket:0",
                "rule.hot.strategy = per-core",
                "rule.batch.pool = thread-pool",
                "rule.batch.cpus = socket:1",
                "rule.batch.strategy = spread",
                "rule.rest.thread-name = *",
                "rule.rest.cpus = 1-2",
                "rule.rest.share-cpus = true");
        Rule hot = plan.config().rule("hot");
        Rule batch = plan.config().rule("batch");

        // rest shares CPUs 1-2 with hot: the table says so, and rest's worker takes the core hot's left free.
        assertThat(plan.eachWorkerGets(hot)).isEqualTo("the CPUs of one core of 1-31,65-95 (first: 1,65);"
                + " cores no worker of rest holds first");
        assertThat(plan.withWorkers(1).lines()).contains(
                "  worker 1 -> CPUs 1,65  core 1,65       socket 0  node 0",
                "rule rest (thread-name=*): round-robin over CPUs 1-2 (2 cores on 1 socket); shares CPUs with hot",
                "  worker 1 -> CPU 2      core 2,66       socket 0  node 0");
        assertThat(plan.hands(hot, CpuSet.of(1, 65))).isTrue();
        assertThat(plan.hands(hot, CpuSet.of(1))).as("half a core").isFalse();
        assertThat(plan.hands(hot, hot.cpus())).isFalse();

        assertThat(plan.eachWorkerGets(batch)).isEqualTo("one CPU of 32-63,96-127, one core each first, across sockets");
        assertThat(plan.hands(batch, CpuSet.of(96))).isTrue();
        assertThat(plan.hands(batch, batch.cpus())).isFalse();
        assertThat(plan.eachWorkerGets(plan.config().rule("rest"))).isEqualTo("one CPU of 1-2, the least loaded;"
                + " CPUs no worker of hot holds first");

        assertThat(plan.summaryLines()).containsExactly(
                "topology: 2 sockets, 2 NUMA nodes, 64 cores, 128 CPUs (from " + dir.resolve("server.topology") + ")",
                "reserved: CPUs 0,64 (no rule uses them)",
                "rule hot (thread-name=hot-*): CPUs 1-31,65-95, per-core over 31 cores on 1 socket",
                "rule batch (pool=thread-pool): CPUs 32-63,96-127, spread over 32 cores on 1 socket",
                "rule rest (thread-name=*): CPUs 1-2, round-robin");
        assertThat(plan.ruleOf("hot-1", PoolKind.FORK_JOIN, ForkJoinPool.class)).isSameAs(hot);
        assertThat(plan.ruleOf("io-1", PoolKind.THREAD_POOL, ThreadPoolExecutor.class)).isSameAs(batch);
        assertThat(plan.ruleOf("io-1", PoolKind.FORK_JOIN, ForkJoinPool.class)).isSameAs(plan.config().rule("rest"));
    }

    @Test
    void withoutATopologyFileThePlanIsForThisProcessAndShowsCpusOnly() throws IOException {
        Path file = dir.resolve("plain.properties");
        Files.write(file, List.of("rule.a.thread-name = a-*", "rule.a.cpus = all,!0"));
        ConfigLoader.Result r = ConfigLoader.load(file, CpuContext.of(CpuSet.range(0, 3)), ConfigLoader.Overrides.NONE,
                ConfigLoader.Target.TOPOLOGY_FILE);

        assertThat(new PlanExplanation(r.config()).lines()).containsExactly(
                "rule a (thread-name=a-*): round-robin over CPUs 1-3",
                "  worker 1 -> CPU 1",
                "  worker 2 -> CPU 2",
                "  worker 3 -> CPU 3");
    }
}
