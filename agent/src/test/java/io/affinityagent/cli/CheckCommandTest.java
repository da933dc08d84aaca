package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code check} on real files, this machine's real /proc and /sys, and a described 2-socket server. */
class CheckCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private int check(String... args) {
        CommandLine cli = new CommandLine(new CheckCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    private List<String> lines() {
        return List.of(out.toString().split("\n"));
    }

    @Test
    void errorsAboutCpusThisMachineLacksSayHowToCheckForTheRealOne() throws Exception {
        Path config = Files.write(dir.resolve("big.properties"), List.of(
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = 4-7",
                "rule.web.thread-name = web-*",
                "rule.web.cpus = 0-x"));

        assertThat(check(config.toString(), "--cpus", "0-1")).isEqualTo(1);

        assertThat(out.toString()).contains(config + ":2: error: rule.orders.cpus: none of CPUs 4-7 is available")
                .contains("1 error of them is about CPUs, sockets or nodes missing from CPUs 0-1 (--cpus)")
                .contains("--cpus 0-63").contains("topology file");
        assertThat(check(config.toString(), "--cpus", "0-7")).as("a syntax error is no machine's fault").isEqualTo(1);
        assertThat(out.toString()).doesNotContain("2 errors of them");
    }

    @Test
    void plansATwoSocketServerWorkerByWorkerFromItsTopologyFile() throws Exception {
        List<String> topology = new ArrayList<>();
        for (int cpu = 0; cpu < 128; cpu++) {
            int core = cpu % 64; // CPUs 64-127 are the second hardware threads of cores 0-63
            topology.add("cpu=" + cpu + " core=" + (core % 32) + " socket=" + (core / 32) + " node=" + (core / 32));
        }
        Files.write(dir.resolve("server.topology"), topology);
        Path config = Files.write(dir.resolve("affinity.properties"), List.of(
                "topology = server.topology",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = all",
                "rule.orders.strategy = spread"));

        assertThat(check(config.toString(), "--workers", "4")).isZero();

        assertThat(lines().get(0)).isEqualTo(config + ": valid, 1 rule; the plan on CPUs 0-127 (the machine "
                + dir.resolve("server.topology") + " describes):");
        assertThat(lines()).containsSubsequence(
                "Worker by worker, as they start, rule after rule in this order (none exiting):",
                "  topology: 2 sockets, 2 NUMA nodes, 64 cores, 128 CPUs (from " + dir.resolve("server.topology") + ")",
                "  rule orders (thread-name=order-*): spread over CPUs 0-127 (64 cores on 2 sockets)",
                "    worker 1 -> CPU 0      core 0,64       socket 0  node 0",
                "    worker 2 -> CPU 32     core 32,96      socket 1  node 1",
                "    worker 3 -> CPU 1      core 1,65       socket 0  node 0",
                "    worker 4 -> CPU 33     core 33,97      socket 1  node 1",
                "    ... 124 more CPUs before two workers share one");
    }

    @Test
    void withoutATopologyFileItPlansForThisMachinesLayout() throws Exception {
        CpuSet mine = ProcFs.system().selfAllowedCpus();
        Path config = Files.write(dir.resolve("affinity.properties"), List.of(
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = all",
                "rule.orders.strategy = per-core"));

        assertThat(check(config.toString())).isZero();

        assertThat(lines().get(0)).endsWith("the plan on CPUs " + mine + " (this machine):");
        assertThat(lines()).anySatisfy(l -> assertThat(l).startsWith("  topology: ")
                .endsWith(mine.size() + (mine.size() == 1 ? " CPU" : " CPUs") + " (from /sys/devices/system/cpu)"));
        assertThat(lines()).anySatisfy(l -> assertThat(l)
                .startsWith("  rule orders (thread-name=order-*): per-core over CPUs " + mine));
        assertThat(lines()).filteredOn(l -> l.startsWith("    worker ")).isNotEmpty();
    }

    @Test
    void aSocketTheMachineDoesNotHaveIsAnErrorNamingLineAndKey() throws Exception {
        Path config = Files.write(dir.resolve("affinity.properties"), List.of(
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = socket:9"));

        assertThat(check(config.toString())).isEqualTo(1);

        assertThat(lines().get(0)).startsWith(config + ":2: error: rule.orders.cpus: 'socket:9': there is no socket 9");
        assertThat(lines()).noneMatch(l -> l.contains("worker 1 ->"));
    }

    @Test
    void listsTheJdkInternalsTheAgentReliesOnWithOrWithoutAConfig() {
        assertThat(check("--jdk")).isZero();
        assertThat(lines().get(0)).startsWith("JDK internals the agent relies on, on Java " + Runtime.version() + ": ")
                .endsWith(" present:");
        assertThat(lines()).anySatisfy(l -> assertThat(l).matches("  ThreadPoolExecutor.runWorker\\(Worker\\) +yes +hooked.*"));
        assertThat(lines()).noneMatch(l -> l.contains("MISSING"));

        out.getBuffer().setLength(0);
        assertThat(check()).as("neither a config nor --jdk").isNotZero();
        assertThat(out.toString()).contains("Missing required parameter: 'FILE'");
    }
}
