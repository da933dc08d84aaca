package io.affinityagent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.CpuContext;
import io.affinityagent.config.PoolKind;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table against a made-up /proc: four CPUs, the demo's plan. */
class PlacementReportTest {

    static final long PID = 4242;
    static final CpuSet FOUR = CpuSet.range(0, 3);

    @TempDir
    Path dir;

    private AgentConfig demoPlan() throws IOException {
        Path file = Files.writeString(dir.resolve("affinity.properties"), String.join("\n",
                "rules = orders, batch, common",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = +0",
                "rule.batch.thread-name = batch-*",
                "rule.batch.cpus = all,!+0",
                "rule.common.pool = common-pool",
                "rule.common.cpus = all,!+0",
                "rule.common.strategy = shared"));
        ConfigLoader.Result r = ConfigLoader.load(file, CpuContext.of(FOUR), ConfigLoader.Overrides.NONE);
        assertThat(r.ok()).as("%s", r.problems()).isTrue();
        return r.config();
    }

    private void thread(int tid, String cpus) throws IOException {
        Path task = Files.createDirectories(dir.resolve("proc/" + PID + "/task/" + tid));
        Files.writeString(task.resolve("status"), "Name:\tx\nCpus_allowed:\tf\nCpus_allowed_list:\t" + cpus + "\n");
    }

    private String print(List<PoolWorker> workers, int[] wrong) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        wrong[0] = new PlacementReport(demoPlan(), FOUR, new ProcFs(dir.resolve("proc")), PID).print(workers, out);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static PoolWorker pooled(String name, int tid) {
        return new PoolWorker(name, tid, PoolKind.THREAD_POOL, ThreadPoolExecutor.class);
    }

    @Test
    void workersWhereThePlanPutThemAreMarkedYes() throws IOException {
        thread(11, "0");
        thread(12, "1");
        thread(13, "2");
        thread(14, "3");
        thread(15, "1-3");
        int[] wrong = {-1};
        String table = print(List.of(pooled("order-1", 11), pooled("batch-1", 12), pooled("batch-2", 13),
                pooled("batch-3", 14), new PoolWorker("ForkJoinPool.commonPool-worker-1", 15, PoolKind.COMMON_POOL,
                        ForkJoinPool.class)), wrong);

        assertThat(wrong[0]).isZero();
        assertThat(table.lines()).hasSize(6).first().asString().startsWith("WORKER");
        assertThat(table.lines().skip(1)).allMatch(l -> l.endsWith(" yes"));
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+"))
                .containsExactly("ForkJoinPool.commonPool-worker-1", "15", "common", "1-3", "1-3", "yes"));
    }

    @Test
    void aWorkerOnTheWrongCpuAWorkerWithTwoAndAGoneOneAreMarkedNo() throws IOException {
        thread(11, "1");   // order-1 promised 0
        thread(12, "1-2"); // batch-1: round-robin gives one CPU, not two
        thread(13, "3");
        int[] wrong = {-1};
        String table = print(List.of(pooled("order-1", 11), pooled("batch-1", 12), pooled("batch-2", 13),
                pooled("batch-3", 99)), wrong);

        assertThat(wrong[0]).isEqualTo(3);
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+"))
                .containsExactly("order-1", "11", "orders", "0", "1", "NO"));
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+"))
                .containsExactly("batch-1", "12", "batch", "1-3", "1-2", "NO"));
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+"))
                .containsExactly("batch-2", "13", "batch", "1-3", "3", "yes"));
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+"))
                .containsExactly("batch-3", "99", "batch", "1-3", "gone", "NO"));
    }

    @Test
    void roundRobinWorkersPiledOnOneCpuAreReported() throws IOException {
        thread(12, "1");
        thread(13, "1");
        thread(14, "1");
        int[] wrong = {-1};
        String table = print(List.of(pooled("batch-1", 12), pooled("batch-2", 13), pooled("batch-3", 14)), wrong);

        assertThat(wrong[0]).isEqualTo(1); // each on a CPU of its rule, but not spread
        assertThat(table).contains("NO: rule batch put its workers on CPUs 1-3 as {1=3}");
    }

    @Test
    void aWorkerNoRuleMatchesMustKeepTheProcessCpus() throws IOException {
        thread(21, "0-3");
        thread(22, "2");
        int[] wrong = {-1};
        String table = print(List.of(pooled("io-1", 21), pooled("io-2", 22)), wrong);

        assertThat(wrong[0]).isEqualTo(1);
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("io-1", "21", "-", "0-3", "0-3", "yes"));
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("io-2", "22", "-", "0-3", "2", "NO"));
    }

    @Test
    void spreadMeansAtMostOneWorkerMoreOnTheBusiestCpuThanOnTheIdlest() {
        CpuSet three = CpuSet.range(1, 3);
        assertThat(PlacementReport.isSpread(three, Map.of(1, 1, 2, 1, 3, 1))).isTrue();
        assertThat(PlacementReport.isSpread(three, Map.of(1, 2, 2, 1, 3, 1))).isTrue();
        assertThat(PlacementReport.isSpread(three, Map.of(1, 2, 2, 2))).isFalse(); // CPU 3 idle
        assertThat(PlacementReport.isSpread(CpuSet.of(0), Map.of(0, 2))).isTrue();
    }

    @Test
    void spreadCompactAndPerCoreWorkersOnACpuTheirRuleHandsOutAreWhereThePlanPutThem() throws IOException {
        Path file = Files.writeString(dir.resolve("topology.properties"), String.join("\n",
                "rules = s, c, p",
                "rule.s.thread-name = s-*",
                "rule.s.cpus = 0-1",
                "rule.s.strategy = spread",
                "rule.c.thread-name = c-*",
                "rule.c.cpus = 2-3",
                "rule.c.strategy = compact",
                "rule.p.thread-name = p-*",
                "rule.p.cpus = 0-3",
                "rule.p.strategy = per-core"));
        ConfigLoader.Result r = ConfigLoader.load(file, CpuContext.of(FOUR), ConfigLoader.Overrides.NONE);
        assertThat(r.ok()).as("%s", r.problems()).isTrue();
        thread(31, "1");
        thread(32, "2");
        thread(33, "3");
        thread(34, "0-1"); // per-core on this flat layout: one CPU per core, so two is wrong
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int wrong = new PlacementReport(r.config(), FOUR, new ProcFs(dir.resolve("proc")), PID)
                .print(List.of(pooled("s-1", 31), pooled("c-1", 32), pooled("p-1", 33), pooled("p-2", 34)),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(wrong).as(table).isEqualTo(1);
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("s-1", "31", "s", "0-1", "1", "yes"));
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("c-1", "32", "c", "2-3", "2", "yes"));
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("p-1", "33", "p", "0-3", "3", "yes"));
        assertThat(table.lines()).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("p-2", "34", "p", "0-3", "0-1", "NO"));
    }
}
