package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * spread, per-core and compact in a real JVM: on this machine's real topology (read from /sys:
 * 1 socket, 2 cores, no SMT), and on a topology file that says what this machine is not.
 */
class TopologyStrategiesIT {

    @TempDir
    Path dir;

    private Path rule(String strategy, String... more) {
        String[] lines = new String[3 + more.length];
        lines[0] = "rule.orders.thread-name = order-*";
        lines[1] = "rule.orders.cpus = all";
        lines[2] = "rule.orders.strategy = " + strategy;
        System.arraycopy(more, 0, lines, 3, more.length);
        return Configs.write(dir, lines);
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void perCoreGivesEachWorkerACoreOfThisMachine(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(rule("per-core")).start()) {
            jvm.command("pool p fixed 2 order-");
            List<Worker> workers = jvm.occupy("p", 2);

            assertThat(countByMask(workers)).isEqualTo(Map.of("0", 1, "1", 1));
            assertThat(jvm.agentLines()).contains(
                    "topology: 1 socket, 1 NUMA node, 2 cores, 2 CPUs (from /sys/devices/system/cpu)",
                    "rule orders (thread-name=order-*): CPUs 0-1, per-core over 2 cores on 1 socket");

            // A worker killed by its task: its replacement gets the core it gave back.
            Worker onCore1 = workers.stream().filter(w -> w.allowedCpus().equals(CpuSet.of(1))).findFirst().orElseThrow();
            jvm.command("kill p " + onCore1.name());
            assertThat(jvm.occupy("p", 1)).singleElement().satisfies(w -> assertThat(w.allowedCpus()).isEqualTo(CpuSet.of(1)));
            noAgentProblems(jvm); // (the killed task's stack trace is on stderr: no quiet check here)
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void spreadPutsOneWorkerPerCoreThenDoublesUp(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(rule("spread")).start()) {
            jvm.command("pool p fixed 3 order-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of("0", 1, "1", 1));
            assertThat(countByMask(jvm.occupy("p", 1))).isEqualTo(Map.of("0", 1));
            assertThat(AgentStatus.loads(jvm.agentProperties(), "orders")).containsExactly(2, 1);
            noAgentProblems(jvm);
            quietApartFromTheAgent(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aTopologyFileMakingCpus0And1SiblingsGivesPerCoreWorkersBoth(Jdk jdk) {
        Configs.writeAs(dir.resolve("siblings.topology"),
                "# as if CPUs 0 and 1 were the two hardware threads of one core",
                "cpu=0 core=0 socket=0 node=0",
                "cpu=1 core=0 socket=0 node=0");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(rule("per-core", "topology = siblings.topology")).start()) {
            jvm.command("pool p fixed 2 order-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of("0-1", 2));
            assertThat(jvm.agentLines()).contains(
                    "topology: 1 socket, 1 NUMA node, 1 core, 2 CPUs (from " + dir.resolve("siblings.topology") + ")",
                    "rule orders (thread-name=order-*): CPUs 0-1, per-core over 1 core on 1 socket");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void compactAndSpreadFollowATopologyFile(Jdk jdk) {
        // CPUs 0 and 1 on two sockets: compact fills socket 0 (CPU 0) first, spread alternates.
        Configs.writeAs(dir.resolve("two-sockets.topology"), "0,0,0,0", "1,0,1,1"); // lscpu -p=cpu,core,socket,node
        try (TargetJvm jvm = TargetJvm.with(jdk).config(rule("compact", "topology = two-sockets.topology")).start()) {
            jvm.command("pool p fixed 2 order-");
            assertThat(countByMask(jvm.occupy("p", 1))).isEqualTo(Map.of("0", 1));
            assertThat(countByMask(jvm.occupy("p", 1))).isEqualTo(Map.of("1", 1));
            assertThat(jvm.agentLines()).contains("rule orders (thread-name=order-*): CPUs 0-1, compact over 2 cores on 2 sockets");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aBadTopologyFileIsNamedAndTheApplicationRunsUnpinned(Jdk jdk) {
        Configs.writeAs(dir.resolve("bad.topology"), "cpu=0 core=0 socket=0", "cpu=1 core=zero socket=0");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(rule("spread", "topology = bad.topology")).start()) {
            jvm.command("pool p fixed 2 order-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of("0-1", 2));
            assertThat(jvm.agentLines()).contains(
                    "error: " + dir.resolve("bad.topology") + ":2: core: 'zero' is not a number from 0 to 1000000",
                    "error: the application continues, unpinned.");
        }
    }
}
