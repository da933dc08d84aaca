package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code status}: the threads of real JVMs, with and without the agent, as a table and as JSON. */
class StatusIT {

    @TempDir
    Path dir;

    /** The table's rows by tid: RULE, CPUS, LAST, NAME. */
    private static Map<Integer, String[]> rows(String table) {
        Map<Integer, String[]> rows = new HashMap<>();
        boolean inThreads = false;
        for (String line : table.split("\n")) {
            if (line.startsWith("TID ")) {
                inThreads = true;
                continue;
            }
            if (inThreads && !line.isBlank() && Character.isDigit(line.charAt(0))) {
                String[] f = line.split("\\s+", 5);
                rows.put(Integer.parseInt(f[0]), new String[] {f[1], f[2], f[3], f.length > 4 ? f[4] : ""});
            } else if (inThreads) {
                break;
            }
        }
        return rows;
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void statusListsThePinnedWorkersWithTheirRulesAndCpusAndEveryOtherThread(Jdk jdk) throws Exception {
        TwoCpus cpus = TwoCpus.get();
        Path config = Configs.write(dir,
                "rules = orders, fj",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + cpus.both,
                "rule.fj.pool = fork-join",
                "rule.fj.cpus = " + cpus.s1);
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            jvm.command("pool p fixed 2 order-executor-number-");
            jvm.command("pool f forkjoin 1");
            List<Worker> orders = jvm.occupy("p", 2);
            List<Worker> forkJoin = jvm.occupy("f", 1);
            assertThat(AgentCli.run("attach", Long.toString(jvm.pid()), "-c", config.toString()).exitCode()).isZero();

            AgentCli.Result status = AgentCli.run("status", Long.toString(jvm.pid()));

            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("agent " + jvm.agentProperties().getProperty("affinity-agent.version")
                    + ": active, config " + config, "  orders  " + String.format("%-" + Math.max(4, cpus.both.length()) + "s", cpus.both)
                    + "  round-robin  2        1,1");
            // The target's JDK has every internal the agent relies on (jdk.JdkInternals), and says so.
            assertThat(status.stdout()).containsPattern("  JDK internals the agent relies on: [^ ]+: (\\d+) of \\1 present\n");
            Map<Integer, String[]> rows = rows(status.stdout());
            // Every thread /proc lists is a row (a thread may come and go between the two reads).
            assertThat(rows.keySet()).containsAll(orders.stream().map(Worker::tid).collect(Collectors.toList()));
            assertThat(rows).hasSizeGreaterThan(10);
            for (Worker w : orders) {
                String[] row = rows.get(w.tid());
                assertThat(row[0]).isEqualTo("orders");
                assertThat(row[1]).isEqualTo(w.allowedCpus().toString());
                assertThat(row[3]).as("the full Java name, not the kernel's 15 characters").isEqualTo(w.name());
            }
            assertThat(orders.stream().map(w -> rows.get(w.tid())[1]).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder(cpus.s0, cpus.s1);
            assertThat(rows.get(forkJoin.get(0).tid())).startsWith("fj", cpus.s1);
            assertThat(rows.get((int) jvm.pid())).startsWith("-");
            // The last CPU a worker ran on is the process's (an idle worker has not run since it was pinned).
            CpuSet everything = TargetAssertions.processCpus(jvm);
            for (Worker w : orders) {
                assertThat(everything.contains(Integer.parseInt(rows.get(w.tid())[2]))).isTrue();
            }

            // A worker that starts now goes through the start hook, whose time the agent publishes.
            jvm.command("pool late fixed 1 order-late-");
            jvm.occupy("late", 1);
            AgentCli.Result json = AgentCli.run("status", Long.toString(jvm.pid()), "--json");

            assertThat(json.exitCode()).as(json.toString()).isZero();
            JsonNode n = new ObjectMapper().readTree(json.stdout());
            assertThat(n.get("pid").asLong()).isEqualTo(jvm.pid());
            assertThat(n.get("processCpus").asText()).isEqualTo(TargetAssertions.processCpus(jvm).toString());
            assertThat(n.get("agent").get("state").asText()).isEqualTo("active");
            assertThat(n.get("agent").get("rules").get(0).get("name").asText()).isEqualTo("orders");
            Map<Integer, JsonNode> threads = new HashMap<>();
            n.get("threads").forEach(t -> threads.put(t.get("tid").asInt(), t));
            for (Worker w : orders) {
                assertThat(threads.get(w.tid()).get("rule").asText()).isEqualTo("orders");
                assertThat(threads.get(w.tid()).get("cpus").asText()).isEqualTo(w.allowedCpus().toString());
                assertThat(threads.get(w.tid()).get("name").asText()).isEqualTo(w.name());
            }
            assertThat(threads.get((int) jvm.pid()).get("rule").isNull()).isTrue();
            JsonNode workerStart = n.get("agent").get("hookTime").get(0);
            assertThat(workerStart.get("hook").asText()).isEqualTo("worker-start");
            assertThat(workerStart.get("firstCallNanos").asLong()).isPositive();
            assertThat(AgentCli.run("status", Long.toString(jvm.pid())).stdout())
                    .containsPattern("  agent's own time \\(.*\\): worker-start \\d+\\.\\d ms once");
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aJvmWithoutTheAgentShowsEveryThreadWithADashAndIsLeftWithoutAnAgent(Jdk jdk) throws Exception {
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            jvm.command("pool p fixed 2 order-");
            List<Worker> workers = jvm.occupy("p", 2);

            AgentCli.Result status = AgentCli.run("status", Long.toString(jvm.pid()));
            AgentCli.Result json = AgentCli.run("status", Long.toString(jvm.pid()), "--json");

            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("agent: not loaded");
            Map<Integer, String[]> rows = rows(status.stdout());
            assertThat(rows.values()).allSatisfy(r -> assertThat(r[0]).isEqualTo("-"));
            for (Worker w : workers) {
                // No agent: the kernel's name, 15 bytes of the Java name.
                assertThat(rows.get(w.tid())[3]).isEqualTo(ProcFs.system().thread(jvm.pid(), w.tid()).name());
                assertThat(rows.get(w.tid())[1]).isEqualTo(w.allowedCpus().toString());
            }
            JsonNode n = new ObjectMapper().readTree(json.stdout());
            assertThat(n.get("agent").get("state").asText()).isEqualTo("absent");
            n.get("threads").forEach(t -> assertThat(t.get("rule").isNull()).isTrue());
            // Reading the status loaded nothing.
            assertThat(jvm.agentProperties().stringPropertyNames()).noneMatch(k -> k.startsWith("affinity-agent."));
            assertThat(TargetAssertions.dynamicAgentWarnings(jvm)).isZero();
            TargetAssertions.quietApartFromTheAgent(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aJvmThatTakesNoAttachRequestsStillShowsWhereItsThreadsRun(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).jvmOption("-XX:+DisableAttachMechanism").start()) {
            AgentCli.Result status = AgentCli.run("status", Long.toString(jvm.pid()));

            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stderr()).contains("-XX:+DisableAttachMechanism", "rules are unknown (shown as ?)");
            assertThat(rows(status.stdout()).values()).isNotEmpty().allSatisfy(r -> assertThat(r[0]).isEqualTo("?"));
        }
    }
}
