package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    private static final List<ProcFs.ThreadInfo> THREADS = List.of(
            new ProcFs.ThreadInfo(100, "java", CpuSet.range(0, 1), 1),
            new ProcFs.ThreadInfo(101, "order-executor-", CpuSet.of(0), 0),
            new ProcFs.ThreadInfo(102, "order-executor-", CpuSet.range(0, 1), 1));

    /** What an agent with one rule and two pinned workers publishes (one has since been moved by someone else). */
    private static AgentState activeAgent() {
        Properties p = new Properties();
        p.setProperty("affinity-agent.version", "0.1.0");
        p.setProperty("affinity-agent.state", "active");
        p.setProperty("affinity-agent.config", "/etc/affinity.properties");
        p.setProperty("affinity-agent.backend", "native helper linux-aarch64");
        p.setProperty("affinity-agent.rules", "orders");
        p.setProperty("affinity-agent.rule.orders",
                "cpus=0-1 strategy=round-robin loads=1,1 matched=2 pinned=2 failed=0 exited=0");
        p.setProperty("affinity-agent.thread.101", "orders 0 order-executor-1");
        p.setProperty("affinity-agent.thread.102", "orders 1 order-executor-2 \"fast\" lane");
        return AgentState.of(p);
    }

    @Test
    void aTableOfEveryThreadWithItsRuleAndFullNameFromTheAgent() {
        StatusReport report = new StatusReport(100, "java", "OpenJDK 64-Bit Server VM 25", "0-1", activeAgent(), null,
                StatusReport.rows(THREADS, activeAgent()));

        String text = report.text();

        assertThat(text).startsWith("JVM 100 (java): OpenJDK 64-Bit Server VM 25, may use CPUs 0-1\n"
                + "agent 0.1.0: active, config /etc/affinity.properties\n"
                + "  pinning through native helper linux-aarch64\n"
                + "  RULE    CPUS  STRATEGY     WORKERS  LOADS  MATCHED  PINNED  FAILED  EXITED\n"
                + "  orders  0-1   round-robin  2        1,1    2        2       0       0\n"
                + "\n"
                + "TID  RULE    CPUS  LAST  NAME\n"
                + "100  -       0-1   1     java\n"
                + "101  orders  0     0     order-executor-1\n"
                + "102  orders  0-1   1     order-executor-2 \"fast\" lane\n");
        assertThat(text).endsWith("1 thread no longer has the CPUs the agent gave it (something else changed its mask):\n"
                + "  order-executor-2 \"fast\" lane (tid 102) may use 0-1, pinned to 1\n");
    }

    @Test
    void aJvmWithoutTheAgentShowsADashAndOneWhoseAgentCannotBeReadAQuestionMark() {
        AgentState absent = AgentState.of(new Properties());
        String without = new StatusReport(100, "java", null, "0-1", absent, null, StatusReport.rows(THREADS, absent)).text();
        String unknown = new StatusReport(100, "java", null, "0-1", null, "JVM 100 takes no attach requests",
                StatusReport.rows(THREADS, null)).text();

        assertThat(without).contains("agent: not loaded\n", "101  -     0     0     order-executor-\n");
        assertThat(unknown).contains("agent: unknown (JVM 100 takes no attach requests)\n",
                "101  ?     0     0     order-executor-\n");
    }

    @Test
    void anAgentThatFoundNothingToPinWithSaysWhyInTextAndJson() throws Exception {
        Properties p = new Properties();
        p.setProperty("affinity-agent.backend", "none: no native helper for linux-s390x; and the fallback failed");
        AgentState refused = AgentState.of(p);
        StatusReport report = new StatusReport(100, "java", null, "0-1", refused, null, StatusReport.rows(THREADS, refused));

        assertThat(report.text()).contains(
                "agent: not loaded (pinning: none: no native helper for linux-s390x; and the fallback failed)\n");
        assertThat(new ObjectMapper().readTree(report.json()).get("agent").get("backend").asText())
                .isEqualTo("none: no native helper for linux-s390x; and the fallback failed");
    }

    @Test
    void jsonHasTheSameFactsForScripts() throws Exception {
        String json = new StatusReport(100, "java", "OpenJDK 64-Bit Server VM 25", "0-1", activeAgent(), null,
                StatusReport.rows(THREADS, activeAgent())).json();

        JsonNode n = new ObjectMapper().readTree(json);
        assertThat(n.get("pid").asLong()).isEqualTo(100);
        assertThat(n.get("agent").get("backend").asText()).isEqualTo("native helper linux-aarch64");
        assertThat(n.get("processCpus").asText()).isEqualTo("0-1");
        assertThat(n.get("agent").get("state").asText()).isEqualTo("active");
        JsonNode rule = n.get("agent").get("rules").get(0);
        assertThat(rule.get("name").asText()).isEqualTo("orders");
        assertThat(rule.get("loads").get(1).asInt()).isEqualTo(1);
        assertThat(rule.get("pinned").asLong()).isEqualTo(2);
        JsonNode threads = n.get("threads");
        assertThat(threads).hasSize(3);
        assertThat(threads.get(0).get("rule").isNull()).isTrue();
        assertThat(threads.get(1).get("rule").asText()).isEqualTo("orders");
        assertThat(threads.get(1).get("cpus").asText()).isEqualTo("0");
        assertThat(threads.get(2).get("name").asText()).isEqualTo("order-executor-2 \"fast\" lane");
        assertThat(threads.get(2).get("pinnedCpus").asText()).isEqualTo("1");
        assertThat(threads.get(2).get("lastCpu").asInt()).isEqualTo(1);
    }

    @Test
    void jsonOfAnUnknownAgentSaysWhy() throws Exception {
        String json = new StatusReport(100, "java", null, "0-1", null, "no attach", StatusReport.rows(THREADS, null)).json();

        JsonNode n = new ObjectMapper().readTree(json);
        assertThat(n.get("jvm").isNull()).isTrue();
        assertThat(n.get("agent").get("state").asText()).isEqualTo("unknown");
        assertThat(n.get("agent").get("problem").asText()).isEqualTo("no attach");
    }

    @Test
    void theAgentsOwnTimePerHookIsShownForTheHooksThatRanInTextAndJson() throws Exception {
        Properties p = new Properties();
        p.setProperty("affinity-agent.version", "0.1.0");
        p.setProperty("affinity-agent.state", "active");
        p.setProperty("affinity-agent.config", "/etc/affinity.properties");
        p.setProperty("affinity-agent.rules", "orders");
        p.setProperty("affinity-agent.rule.orders", "cpus=0-1 strategy=round-robin loads=0,0 matched=4 pinned=4 failed=0"
                + " exited=4");
        p.setProperty("affinity-agent.hook-time", "worker-start=31200000/3/36300/21000 worker-exit=400000/7/9800/0"
                + " thread-start=8000/0/0/0 thread-run=garbled");
        AgentState agent = AgentState.of(p);

        StatusReport report = new StatusReport(100, "java", null, "0-1", agent, null, StatusReport.rows(THREADS, agent));

        assertThat(report.text()).contains("  agent's own time (the first call of each hook includes its set-up; a"
                + " pin call is the system call, which after a move includes waiting for the target CPU, and for the"
                + " first pins the wait for the agent's set-up):"
                + " worker-start 31.2 ms once, then 3 x 5.1 us own + 7.0 us pin call; worker-exit 0.4 ms once, then 7 x"
                + " 1.4 us own; thread-start 0.0 ms once\n");
        JsonNode hooks = new ObjectMapper().readTree(report.json()).get("agent").get("hookTime");
        assertThat(hooks).hasSize(3);
        assertThat(hooks.get(0).get("hook").asText()).isEqualTo("worker-start");
        assertThat(hooks.get(0).get("firstCallNanos").asLong()).isEqualTo(31_200_000);
        assertThat(hooks.get(0).get("laterCalls").asLong()).isEqualTo(3);
        assertThat(hooks.get(0).get("laterNanos").asLong()).isEqualTo(36_300);
        assertThat(hooks.get(0).get("laterPinCallNanos").asLong()).isEqualTo(21_000);
        assertThat(hooks.get(0).get("laterOwnNanos").asLong()).isEqualTo(15_300);
        assertThat(StatusReport.ownTime(AgentState.of(new Properties()).hookTimes())).isNull();
    }

    @Test
    void anAgentThatPublishesNoSplitIsShownWithItsTimeUnsplit() {
        Properties p = new Properties();
        p.setProperty("affinity-agent.hook-time", "worker-start=31200000/3/36300");

        assertThat(StatusReport.ownTime(AgentState.of(p).hookTimes()))
                .isEqualTo("worker-start 31.2 ms once, then 3 x 12.1 us (own work and pin call together)");
    }
}
