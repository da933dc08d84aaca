package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code status --watch}: the live view of the demo's workload (a busy batch pool, the order
 * pool, the common pool), without the agent and with it, checked against /proc.
 */
class LiveViewIT {

    private static final ProcFs PROC = ProcFs.system();

    /** The demo measuring for long enough, once its pools have started (the test ends it sooner). */
    private static TargetJvm demo(Jdk jdk, boolean withAgent) {
        TargetJvm.Builder b = TargetJvm.with(jdk).classpath(DemoIT.DEMO_CLASSPATH)
                .main(DemoIT.DEMO_MAIN, "--warmup-seconds", "0.2", "--seconds", "120").endedBySignal();
        if (withAgent) {
            b.config(DemoIT.DEMO_CONFIG);
        }
        TargetJvm jvm = b.launch();
        jvm.awaitStdout(l -> l.startsWith("Workload:"));
        Await.until("the demo's order thread", TargetJvm.TIMEOUT, () -> tid(jvm, "order-1") > 0);
        return jvm;
    }

    /** A thread's native id by its kernel name, or -1. */
    private static int tid(TargetJvm jvm, String name) {
        try {
            for (ProcFs.ThreadInfo t : PROC.threads(jvm.pid())) {
                if (t.name().equals(name)) {
                    return t.tid();
                }
            }
            return -1;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<JsonNode> jsonLines(AgentCli.Result r) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            out.add(new ObjectMapper().readTree(line));
        }
        return out;
    }

    private static Map<String, JsonNode> pools(JsonNode frame) {
        Map<String, JsonNode> out = new HashMap<>();
        frame.get("pools").forEach(p -> out.put(p.get("pool").asText(), p));
        return out;
    }

    /** What this kernel provides: the view says where its migrations come from. */
    private static String migrationsSource(long pid) {
        return Files.exists(Path.of("/proc/" + pid + "/task/" + pid + "/sched")) ? "sched" : "last-cpu";
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void withoutTheAgentEveryPoolShowsUnpinnedWithTheCpuItUsed(Jdk jdk) throws Exception {
        try (TargetJvm jvm = demo(jdk, false)) {
            AgentCli.Result r = AgentCli.on(jdk).execute("status", Long.toString(jvm.pid()), "--watch", "--json",
                    "--threads", "--count", "2", "--interval", "0.5");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            List<JsonNode> frames = jsonLines(r);
            assertThat(frames).hasSize(2);
            CpuSet processCpus = TargetAssertions.processCpus(jvm);
            for (JsonNode frame : frames) {
                assertThat(frame.get("pid").asLong()).isEqualTo(jvm.pid());
                assertThat(frame.get("agent").asText()).isEqualTo("absent");
                assertThat(frame.get("seconds").asDouble()).isBetween(0.4, 60.0);
                assertThat(frame.get("sources").get("migrations").asText()).isEqualTo(migrationsSource(jvm.pid()));
                Map<String, JsonNode> pools = pools(frame);
                assertThat(pools).containsKeys("order-*", "order-feed-*", "batch-*");
                JsonNode batch = pools.get("batch-*");
                assertThat(batch.get("threads").asInt()).isEqualTo(processCpus.size());
                assertThat(batch.get("promised").isNull()).isTrue();
                assertThat(batch.get("rules")).isEmpty();
                assertThat(batch.get("allowed").asText()).isEqualTo(processCpus.toString());
                // CPU-bound workers: they used some CPU, at most all of the process's (with rounding).
                assertThat(batch.get("cpuPercent").asDouble()).isPositive()
                        .isLessThanOrEqualTo(processCpus.size() * 100 + 5);
                JsonNode order = pools.get("order-*").get("workers").get(0);
                assertThat(order.get("tid").asInt()).isEqualTo(tid(jvm, "order-1"));
                assertThat(order.get("rule").isNull()).isTrue();
                assertThat(order.get("allowed").asText())
                        .isEqualTo(PROC.threadAllowedCpus(jvm.pid(), order.get("tid").asInt()).toString());
                assertThat(order.get("involuntarySwitchesPerSecond").asDouble()).isNotNegative();
                assertThat(order.get("migrationsPerSecond").asDouble()).isNotNegative();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void withTheAgentPoolsShowTheirRuleAndPromisedCpusAsProcDoes(Jdk jdk) throws Exception {
        try (TargetJvm jvm = demo(jdk, true)) {
            AgentCli.Result r = AgentCli.on(jdk).execute("status", Long.toString(jvm.pid()), "--watch", "--json",
                    "--threads", "--count", "1", "--interval", "0.5");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode frame = jsonLines(r).get(0);
            assertThat(frame.get("agent").asText()).isEqualTo("active");
            CpuSet processCpus = TargetAssertions.processCpus(jvm);
            String first = Integer.toString(processCpus.first());
            String others = processCpus.minus(CpuSet.of(processCpus.first())).toString();
            Map<String, JsonNode> pools = pools(frame);
            assertThat(pools.get("order-*").get("rules").get(0).asText()).isEqualTo("orders");
            assertThat(pools.get("order-*").get("promised").asText()).isEqualTo(first);
            assertThat(pools.get("order-*").get("allowed").asText()).isEqualTo(first);
            assertThat(pools.get("batch-*").get("promised").asText()).isEqualTo(others);
            // The agent names the common pool's workers in full (the kernel keeps 15 bytes).
            assertThat(pools.get("ForkJoinPool.commonPool-worker-*").get("rules").get(0).asText()).isEqualTo("common");
            for (JsonNode pool : frame.get("pools")) {
                for (JsonNode w : pool.get("workers")) {
                    if (!w.get("rule").isNull()) {
                        assertThat(w.get("allowed").asText()).as(w.toString()).isEqualTo(w.get("promised").asText())
                                .isEqualTo(PROC.threadAllowedCpus(jvm.pid(), w.get("tid").asInt()).toString());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void intoAFileTheFramesComeOneAfterTheOtherWithTheLegendOnce(Jdk jdk) {
        try (TargetJvm jvm = demo(jdk, true)) {
            AgentCli.Result r = AgentCli.on(jdk).execute("status", Long.toString(jvm.pid()), "--watch", "--count", "2",
                    "--interval", "0.3");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).doesNotContain("\033").as("no terminal: nothing redrawn");
            assertThat(r.stdout().split("\n")).filteredOn(l -> l.startsWith("POOL ")).hasSize(2);
            assertThat(r.stdout().split("\n")).filteredOn(l -> l.startsWith("CPU%: ")).hasSize(1);
            assertThat(r.stdout()).containsPattern("(?m)^JVM " + jvm.pid() + " \\([^)]+\\), may use CPUs .*; agent: active,"
                    + " config .*affinity.properties; \\d\\d:\\d\\d:\\d\\d, over \\d+\\.\\d s$");
            assertThat(r.stdout()).containsPattern("(?m)^order-\\* +1 +orders +");
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void watchOptionsWithoutWatchAreAUsageErrorAndAGoneJvmEndsTheView(Jdk jdk) {
        AgentCli.Result usage = AgentCli.on(jdk).execute("status", "1", "--count", "2");
        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(2);
        assertThat(usage.stderr()).contains("--interval, --count, --threads, --all and --plain go with --watch");

        TargetJvm jvm = demo(jdk, false);
        long pid = jvm.pid();
        jvm.close();
        AgentCli.Result gone = AgentCli.on(jdk).execute("status", Long.toString(pid), "--watch", "--count", "1");
        assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(1);
    }
}
