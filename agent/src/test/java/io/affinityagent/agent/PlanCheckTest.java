package io.affinityagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point check calls: real files, this machine's real /proc and /sys. */
class PlanCheckTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<String> lines() {
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }

    @Test
    void plansATwoSocketMachineFromItsTopologyFile() throws Exception {
        List<String> topology = new ArrayList<>();
        for (int cpu = 0; cpu < 128; cpu++) {
            int core = cpu % 64;
            topology.add("cpu=" + cpu + " core=" + (core % 32) + " socket=" + (core / 32) + " node=" + (core / 32));
        }
        Files.write(dir.resolve("server.topology"), topology);
        Path config = Files.write(dir.resolve("affinity.properties"), List.of(
                "topology = server.topology",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = all",
                "rule.orders.strategy = spread"));

        assertThat(PlanCheck.print(config, 4, out)).isZero();

        assertThat(lines()).containsExactly(
                "topology: 2 sockets, 2 NUMA nodes, 64 cores, 128 CPUs (from " + dir.resolve("server.topology") + ")",
                "rule orders (thread-name=order-*): spread over CPUs 0-127 (64 cores on 2 sockets)",
                "  worker 1 -> CPU 0      core 0,64       socket 0  node 0",
                "  worker 2 -> CPU 32     core 32,96      socket 1  node 1",
                "  worker 3 -> CPU 1      core 1,65       socket 0  node 0",
                "  worker 4 -> CPU 33     core 33,97      socket 1  node 1",
                "  ... 124 more CPUs before two workers share one");
    }

    @Test
    void withoutATopologyFileItPlansForThisMachine() throws Exception {
        CpuSet mine = ProcFs.system().selfAllowedCpus();
        Path config = Files.write(dir.resolve("affinity.properties"), List.of(
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = all",
                "rule.orders.strategy = per-core"));

        assertThat(PlanCheck.print(config, 0, out)).isZero();

        assertThat(lines().get(0)).startsWith("topology: ").endsWith(mine.size() + " CPUs (from /sys/devices/system/cpu)");
        assertThat(lines().get(1)).startsWith("rule orders (thread-name=order-*): per-core over CPUs " + mine);
        assertThat(lines()).filteredOn(l -> l.startsWith("  worker ")).isNotEmpty();
    }

    @Test
    void aBadConfigPrintsItsErrorsAndFails() throws Exception {
        Path config = Files.write(dir.resolve("affinity.properties"), List.of(
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = socket:9"));

        assertThat(PlanCheck.print(config, 0, out)).isEqualTo(1);

        assertThat(lines()).hasSize(2);
        assertThat(lines().get(0)).startsWith("error: " + config + ":2: rule.orders.cpus: 'socket:9': there is no socket 9");
        assertThat(lines().get(1)).isEqualTo("error: the config has 1 error; the agent would pin nothing");
    }
}
