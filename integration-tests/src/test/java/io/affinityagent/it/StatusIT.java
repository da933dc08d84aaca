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

    /**
     * The table's rows by tid: RULE, CPUS, LAST, NAME, then KIND, POOL and KERNEL NAME (empty when the
     * table has no such column), cut at the header's column starts (names may hold spaces).
     */
    private static Map<Integer, String[]> rows(String table) {
        Map<Integer, String[]> rows = new HashMap<>();
        String[] columns = {"RULE", "CPUS", "LAST", "NAME", "KIND", "POOL", "KERNEL NAME"};
        int[] starts = null;
        for (String line : table.split("\n")) {
            if (line.startsWith("TID ")) {
                starts = new int[columns.length];
                for (int c = 0; c < columns.length; c++) {
                    starts[c] = line.indexOf((c == 3 ? "  " : " ") + columns[c]);
                    starts[c] = starts[c] < 0 ? -1 : starts[c] + (c == 3 ? 2 : 1);
                }
                continue;
            }
            if (starts != null && !line.isBlank() && Character.isDigit(line.charAt(0))) {
                String[] row = new String[columns.length];
                for (int c = 0; c < columns.length; c++) {
                    if (starts[c] < 0 || starts[c] >= line.length()) {
                        row[c] = "";
                        continue;
                    }
                    int end = line.length();
                    for (int d = 0; d < columns.length; d++) {
                        if (starts[d] > starts[c] && starts[d] < end) {
                            end = Math.min(starts[d], line.length());
                        }
                    }
                    row[c] = line.substring(starts[c], end).trim();
                }
                rows.put(Integer.parseInt(line.substring(0, line.indexOf(' '))), row);
            } else if (starts != null) {
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
            assertThat(workerStart.get("laterOwnNanos").asLong() + workerStart.get("laterPinCallNanos").asLong())
                    .as("the later calls' time, split into the agent's own work and the pin call")
                    .isEqualTo(workerStart.get("laterNanos").asLong());
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
                // No agent, yet the full Java name (from the thread dump), its kind and pool, and the kernel's beside it.
                String[] row = rows.get(w.tid());
                assertThat(row[3]).isEqualTo(w.name());
                assertThat(row[4]).isEqualTo("thread-pool");
                assertThat(row[5]).isEqualTo("java.util.concurrent.ThreadPoolExecutor");
                String kernel = ProcFs.system().thread(jvm.pid(), w.tid()).name();
                assertThat(row[6]).isEqualTo(kernel.equals(w.name()) ? "" : kernel);
                assertThat(row[1]).isEqualTo(w.allowedCpus().toString());
            }
            assertThat(rows.get((int) jvm.pid())[4]).as("the launcher's thread is in no dump").isEqualTo("?");
            // Without the thread dump: no safepoint asked for, and the kernel's names.
            AgentCli.Result noDump = AgentCli.run("status", Long.toString(jvm.pid()), "--no-thread-dump");
            assertThat(noDump.stdout()).contains("(--no-thread-dump)").doesNotContain("KIND");
            for (Worker w : workers) {
                assertThat(rows(noDump.stdout()).get(w.tid())[3])
                        .isEqualTo(ProcFs.system().thread(jvm.pid(), w.tid()).name());
            }
            JsonNode n = new ObjectMapper().readTree(json.stdout());
            assertThat(n.get("agent").get("state").asText()).isEqualTo("absent");
            n.get("threads").forEach(t -> assertThat(t.get("rule").isNull()).isTrue());
            for (JsonNode t : n.get("threads")) {
                for (Worker w : workers) {
                    if (t.get("tid").asInt() == w.tid()) {
                        assertThat(t.get("name").asText()).isEqualTo(w.name());
                        assertThat(t.get("kind").asText()).isEqualTo("thread-pool");
                        assertThat(t.get("kernelName").asText()).isEqualTo(ProcFs.system().thread(jvm.pid(), w.tid()).name());
                    }
                }
            }
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
            assertThat(status.stdout()).doesNotContain("KIND"); // no thread dump without the attach mechanism
            assertThat(rows(status.stdout()).values()).isNotEmpty().allSatisfy(r -> assertThat(r[0]).isEqualTo("?"));
        }
    }
}
