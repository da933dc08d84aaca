package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo as ./demo.sh runs it: an unpinned run, then a run with the agent and the bundled
 * config whose placement table marks every worker; and the demo's own check, which must mark a
 * worker the agent put elsewhere than the checked config says, and exit 1.
 */
class DemoIT {

    static final String DEMO_MAIN = "io.affinityagent.demo.DemoApp";
    static final String DEMO_CLASSPATH = System.getProperty("affinity.demo.classpath",
            "../demo-app/target/classes:../agent/target/agent-0.1.0-SNAPSHOT.jar");
    static final Path DEMO_CONFIG = Paths.get(System.getProperty("affinity.demo.config",
            "../demo-app/affinity.properties")).toAbsolutePath().normalize();
    /** Short runs: the test is about the table, the check and the report, not the figures. */
    static final String[] SHORT = {"--warmup-seconds", "0.3", "--seconds", "0.5"};

    @TempDir
    Path dir;

    /** The demo's config puts the orders on one CPU and the rest on the others: it needs two. */
    private final TwoCpus twoCpus = TwoCpus.get();

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void thePinnedRunMarksEveryWorkerAndComparesItsLatencyWithTheUnpinnedRun(Jdk jdk) {
        Path unpinned = dir.resolve("unpinned.properties");
        TargetJvm first = demo(jdk, null, "--save", unpinned.toString());
        assertThat(first.awaitExit()).as(first.describe()).isZero();
        assertThat(first.stdout()).noneMatch(l -> l.startsWith("WORKER")); // no table without --check

        TargetJvm second = demo(jdk, DEMO_CONFIG, "--check", DEMO_CONFIG.toString(), "--baseline", unpinned.toString());
        assertThat(second.awaitExit()).as(second.describe()).isZero();

        List<String> table = table(second);
        CpuSet cpus = processCpus();
        String first0 = Integer.toString(cpus.first());
        String others = cpus.minus(CpuSet.of(cpus.first())).toString();
        assertThat(table).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("order-1", tid(l), "orders", first0,
                first0, "yes"));
        assertThat(table).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("order-feed-1", tid(l), "orders",
                first0, first0, "yes"));
        assertThat(table).anySatisfy(l -> assertThat(l).startsWith("batch-1 ").endsWith(" yes"));
        assertThat(table).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("ForkJoinPool.commonPool-worker-1",
                tid(l), "common", others, others, "yes"));
        assertThat(table).hasSize(2 + cpus.size() + commonPoolWorkers(cpus)).allMatch(l -> l.endsWith(" yes"));
        assertThat(second.stdout()).contains("Every worker is where the config put it.");
        assertThat(second.stdout()).anySatisfy(l -> assertThat(l).startsWith("unpinned "));
        assertThat(second.stdout()).anySatisfy(l -> assertThat(l).startsWith("pinned "));
        assertThat(second.stdout()).anySatisfy(l -> assertThat(l).startsWith("p99 pinned/unpinned: "));
        assertThat(second.agentLines()).contains("rule orders (thread-name=order-*): CPUs " + first0 + ", round-robin");
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aWorkerTheAgentPutElsewhereIsMarkedAndTheDemoExitsOne(Jdk jdk) {
        // The agent gets the plan upside down: the order pool on the second CPU, the rest elsewhere.
        Path swapped = Configs.write(dir,
                "rules = orders, batch, common",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = +1",
                "rule.batch.thread-name = batch-*",
                "rule.batch.cpus = all,!+1",
                "rule.common.pool = common-pool",
                "rule.common.cpus = all,!+1",
                "rule.common.strategy = shared");

        TargetJvm run = demo(jdk, swapped, "--check", DEMO_CONFIG.toString());
        assertThat(run.awaitExit()).as(run.describe()).isEqualTo(1);

        CpuSet cpus = processCpus();
        String promised = Integer.toString(cpus.first());
        String actual = Integer.toString(cpus.nth(1));
        List<String> table = table(run);
        assertThat(table).anySatisfy(l -> assertThat(l.split("\\s+")).containsExactly("order-1", tid(l), "orders", promised,
                actual, "NO"));
        assertThat(table).filteredOn(l -> l.startsWith("batch-")).allMatch(l -> l.endsWith(" NO"));
        assertThat(table).filteredOn(l -> l.startsWith("ForkJoinPool.commonPool-")).allMatch(l -> l.endsWith(" NO"));
        int workers = 2 + cpus.size() + commonPoolWorkers(cpus);
        assertThat(run.stdout()).contains(workers + " NOT where the config put them.");
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void withoutTheAgentEveryCheckedWorkerIsMarked(Jdk jdk) {
        TargetJvm run = demo(jdk, null, "--check", DEMO_CONFIG.toString());
        assertThat(run.awaitExit()).as(run.describe()).isEqualTo(1);
        assertThat(table(run)).isNotEmpty().allMatch(l -> l.endsWith(" NO"));
    }

    private TargetJvm demo(Jdk jdk, Path agentConfig, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(SHORT));
        TargetJvm.Builder b = TargetJvm.with(jdk).classpath(DEMO_CLASSPATH).main(DEMO_MAIN, all.toArray(new String[0]));
        if (agentConfig != null) {
            b.config(agentConfig);
        }
        return b.launch();
    }

    /** The rows of the placement table: after the WORKER header, up to the first line that is not a row. */
    private static List<String> table(TargetJvm jvm) {
        List<String> rows = new ArrayList<>();
        boolean in = false;
        for (String l : jvm.stdout()) {
            if (l.startsWith("WORKER ")) {
                in = true;
            } else if (in && (l.endsWith(" yes") || l.endsWith(" NO"))) {
                rows.add(l);
            } else if (in) {
                break;
            }
        }
        return rows;
    }

    /** The demo has exited by the time it is checked; it had the CPUs of the JVM that started it. */
    private static CpuSet processCpus() {
        try {
            return ProcFs.system().selfAllowedCpus();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tid(String row) {
        return row.split("\\s+")[1];
    }

    /** The common pool's parallelism as the demo's JVM computes it: one less than its CPUs. */
    private static int commonPoolWorkers(CpuSet cpus) {
        return Math.max(1, cpus.size() - 1);
    }
}
