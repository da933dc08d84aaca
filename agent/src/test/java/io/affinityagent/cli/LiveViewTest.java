package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.time.LocalTime;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LiveViewTest {

    private static ProcFs.ThreadCounters t(int tid, String name, CpuSet cpus, int lastCpu, long cpuMillis,
                                           long involuntary) {
        return new ProcFs.ThreadCounters(new ProcFs.ThreadInfo(tid, name, cpus, lastCpu), cpuMillis * 1_000_000L, true,
                0, 0, involuntary, 0);
    }

    private static LiveRates.Frame frame() {
        Properties p = new Properties();
        p.setProperty("affinity-agent.state", "active");
        p.setProperty("affinity-agent.thread.11", "orders 0 order-1");
        LiveSample a = new LiveSample(0, List.of(t(10, "VM Thread", CpuSet.range(0, 1), 1, 0, 0),
                t(11, "order-1", CpuSet.of(0), 0, 0, 0), t(12, "batch-1", CpuSet.range(0, 1), 1, 0, 0),
                t(13, "batch-2", CpuSet.range(0, 1), 0, 0, 0)));
        LiveSample b = new LiveSample(1_000_000_000L, List.of(t(10, "VM Thread", CpuSet.range(0, 1), 1, 1, 0),
                t(11, "order-1", CpuSet.of(0), 0, 31, 2), t(12, "batch-1", CpuSet.range(0, 1), 1, 500, 70),
                t(13, "batch-2", CpuSet.range(0, 1), 0, 400, 80)));
        return LiveRates.between(a, b, AgentState.of(p));
    }

    @Test
    void aLinePerPoolWithIdleUnruledPoolsSummedUp() {
        String text = LiveView.text("JVM 7 (java), may use CPUs 0-1; agent: active, config a.properties",
                LocalTime.of(3, 4, 5), frame(), false, false);

        assertThat(text).isEqualTo("JVM 7 (java), may use CPUs 0-1; agent: active, config a.properties; 03:04:05,"
                + " over 1.0 s\n"
                + "POOL     THREADS  RULE    PROMISED  ALLOWED  LAST  CPU%  WAIT%  INVOL/S  MIGR/S\n"
                + "order-*        1  orders  0         0        0      3.1    0.0      2.0     0.0\n"
                + "batch-*        2  -       -         0-1      0-1   90.0    0.0    150.0     0.0\n"
                + "(idle, no rule: 1 thread in 1 pool; --all shows them)\n");
    }

    @Test
    void withThreadsEachThreadUnderItsPoolAndWithAllEveryPool() {
        String text = LiveView.text("JVM 7", LocalTime.of(3, 4, 5), frame(), true, true);

        assertThat(text).contains("VM Thread               1  -       -         0-1      1      0.1")
                .contains("batch-*                 2  -       -         0-1      0-1   90.0    0.0    150.0     0.0\n"
                        + "  batch-1 (12)             -       -         0-1      1     50.0    0.0     70.0     0.0\n"
                        + "  batch-2 (13)             -       -         0-1      0     40.0    0.0     80.0     0.0\n")
                .doesNotContain("idle");
    }

    @Test
    void jsonIsOneLinePerFrameWithEveryPool() throws Exception {
        String json = LiveView.json(7, "active", LocalTime.of(3, 4, 5), frame(), true);

        assertThat(json).endsWith("}\n").doesNotContain("\n{");
        JsonNode n = new ObjectMapper().readTree(json);
        assertThat(n.get("pid").asLong()).isEqualTo(7);
        assertThat(n.get("seconds").asDouble()).isEqualTo(1.0);
        assertThat(n.get("sources").get("migrations").asText()).isEqualTo("sched");
        assertThat(n.get("pools")).hasSize(3);
        JsonNode order = n.get("pools").get(1);
        assertThat(order.get("pool").asText()).isEqualTo("order-*");
        assertThat(order.get("rules").get(0).asText()).isEqualTo("orders");
        assertThat(order.get("promised").asText()).isEqualTo("0");
        assertThat(order.get("cpuPercent").asDouble()).isEqualTo(3.1);
        assertThat(order.get("involuntarySwitchesPerSecond").asDouble()).isEqualTo(2.0);
        assertThat(order.get("workers").get(0).get("tid").asInt()).isEqualTo(11);
        assertThat(n.get("pools").get(0).get("promised").isNull()).isTrue();
    }
}
