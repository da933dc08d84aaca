package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * spread, per-core and compact in a real JVM: on this machine's real topology (read from /sys,
 * for the two CPUs the tests pin to, which may be two cores or the two hardware threads of one),
 * and on topology files that describe every CPU of the process as this machine is not.
 */
class TopologyStrategiesIT {

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    private Path rule(String cpuList, String strategy, String... more) {
        String[] lines = new String[3 + more.length];
        lines[0] = "rule.orders.thread-name = order-*";
        lines[1] = "rule.orders.cpus = " + cpuList;
        lines[2] = "rule.orders.strategy = " + strategy;
        System.arraycopy(more, 0, lines, 3, more.length);
        return Configs.write(dir, lines);
    }

    /** True when /sys says the two CPUs are hardware threads of one core. */
    private boolean siblings() {
        return MachineLayout.coreOf(cpus.cpu0).contains(cpus.cpu1);
    }

    private String sockets() {
        int n = MachineLayout.socketOf(cpus.cpu0) == MachineLayout.socketOf(cpus.cpu1) ? 1 : 2;
        return n + (n == 1 ? " socket" : " sockets");
    }

    /**
     * A topology file for every CPU this process may use: the two test CPUs as {@code first} and
     * {@code second} say (lscpu's "cpu,core,socket,node" columns after the CPU), every other CPU
     * a core of its own on socket 0, so that the agent leaves none out.
     */
    private Path topologyFile(String name, String first, String second) {
        List<String> lines = new ArrayList<>();
        lines.add("# written by the test for CPUs " + TwoCpus.allowed());
        lines.add(cpus.cpu0 + "," + first);
        lines.add(cpus.cpu1 + "," + second);
        int core = 100;
        for (int cpu : TwoCpus.allowed().toArray()) {
            if (cpu != cpus.cpu0 && cpu != cpus.cpu1) {
                lines.add(cpu + "," + core++ + ",0,0");
            }
        }
        return Configs.writeAs(dir.resolve(name), lines.toArray(new String[0]));
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void perCoreGivesEachWorkerACoreOfThisMachine(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(rule(cpus.both, "per-core")).start()) {
            jvm.command("pool p fixed 2 order-");
            List<Worker> workers = jvm.occupy("p", 2);

            // Two cores: a worker on each; one core: both workers get its two hardware threads.
            Map<String, Integer> expected = siblings() ? Map.of(cpus.both, 2) : Map.of(cpus.s0, 1, cpus.s1, 1);
            assertThat(countByMask(workers)).isEqualTo(expected);
            int cores = siblings() ? 1 : 2;
            assertThat(jvm.agentLines()).contains(
                    "topology: " + MachineLayout.summary(TargetAssertions.processCpus(jvm))
                            + " (from /sys/devices/system/cpu)",
                    "rule orders (thread-name=order-*): CPUs " + cpus.both + ", per-core over " + cores
                            + (cores == 1 ? " core" : " cores") + " on " + sockets());

            // A worker killed by its task: its replacement gets the core it gave back.
            Worker killed = workers.get(1);
            CpuSet itsCore = killed.allowedCpus(); // read while it lives
            jvm.command("kill p " + killed.name());
            assertThat(jvm.occupy("p", 1)).singleElement().satisfies(w -> assertThat(w.allowedCpus()).isEqualTo(itsCore));
            noAgentProblems(jvm); // (the killed task's stack trace is on stderr: no quiet check here)
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void spreadPutsOneWorkerPerCoreThenDoublesUp(Jdk jdk) {
        // Two cores or one: either way one worker per CPU first (a core's second hardware thread
        // comes after every core has one), then the first CPU again.
        try (TargetJvm jvm = TargetJvm.with(jdk).config(rule(cpus.both, "spread")).start()) {
            jvm.command("pool p fixed 3 order-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            assertThat(countByMask(jvm.occupy("p", 1))).isEqualTo(Map.of(cpus.s0, 1));
            assertThat(AgentStatus.loads(jvm.agentProperties(), "orders")).containsExactly(2, 1);
            noAgentProblems(jvm);
            quietApartFromTheAgent(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aTopologyFileMakingTheTwoCpusSiblingsGivesPerCoreWorkersBoth(Jdk jdk) {
        Path file = topologyFile("siblings.topology", "0,0,0", "0,0,0"); // as if the two threads of one core
        try (TargetJvm jvm = TargetJvm.with(jdk).config(rule(cpus.both, "per-core", "topology = siblings.topology"))
                .start()) {
            jvm.command("pool p fixed 2 order-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of(cpus.both, 2));
            int all = TwoCpus.allowed().size();
            assertThat(jvm.agentLines()).contains(
                    "topology: 1 socket, 1 NUMA node, " + (all - 1) + (all == 2 ? " core, " : " cores, ") + all
                            + " CPUs (from " + file + ")",
                    "rule orders (thread-name=order-*): CPUs " + cpus.both + ", per-core over 1 core on 1 socket");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void compactAndSpreadFollowATopologyFile(Jdk jdk) {
        // The two CPUs on two sockets: compact fills the first CPU's socket first.
        topologyFile("two-sockets.topology", "0,0,0", "0,1,1");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(rule(cpus.both, "compact", "topology = two-sockets.topology"))
                .start()) {
            jvm.command("pool p fixed 2 order-");
            assertThat(countByMask(jvm.occupy("p", 1))).isEqualTo(Map.of(cpus.s0, 1));
            assertThat(countByMask(jvm.occupy("p", 1))).isEqualTo(Map.of(cpus.s1, 1));
            assertThat(jvm.agentLines()).contains("rule orders (thread-name=order-*): CPUs " + cpus.both
                    + ", compact over 2 cores on 2 sockets");
            noAgentProblems(jvm);
        }
    }

    /**
     * README's server example on this machine's two CPUs, made two cores of one socket by a
     * topology file: one event loop per core, and orders, sharing the CPUs on purpose, on the core
     * the event loop left free; check's worker lines say the same as /proc.
     */
    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aRuleSharingCpusOnPurposeGoesOnTheCoreTheOtherRuleLeftFree(Jdk jdk) {
        topologyFile("two-cores.topology", "0,0,0", "1,0,0");
        Path config = Configs.write(dir,
                "topology = two-cores.topology",
                "rules = events, orders",
                "rule.events.thread-name = event-*",
                "rule.events.cpus = " + cpus.both,
                "rule.events.strategy = per-core",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + cpus.both,
                "rule.orders.strategy = spread",
                "rule.orders.share-cpus = true");

        AgentCli.Result check = AgentCli.on(jdk).execute("check", config.toString(), "--workers", "1");
        assertThat(check.exitCode()).as("%s", check).isZero();
        assertThat(check.stdout()).containsPattern("rule events .*\\n    worker 1 -> CPU " + cpus.s0 + " .*\\n"
                + "(.*\\n)?  rule orders .*; shares CPUs with events\\n    worker 1 -> CPU " + cpus.s1 + " ");

        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool e fixed 1 event-");
            jvm.command("pool p fixed 2 order-");

            assertThat(countByMask(jvm.occupy("e", 1))).isEqualTo(Map.of(cpus.s0, 1));
            // The core the event loop left, then (none left) the event loop's.
            assertThat(countByMask(jvm.occupy("p", 1))).isEqualTo(Map.of(cpus.s1, 1));
            assertThat(countByMask(jvm.occupy("p", 1))).isEqualTo(Map.of(cpus.s0, 1));
            noAgentProblems(jvm);
            quietApartFromTheAgent(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aBadTopologyFileIsNamedAndTheApplicationRunsUnpinned(Jdk jdk) {
        Configs.writeAs(dir.resolve("bad.topology"), "cpu=0 core=0 socket=0", "cpu=1 core=zero socket=0");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(rule("all", "spread", "topology = bad.topology")).start()) {
            jvm.command("pool p fixed 2 order-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of(TargetAssertions.processCpus(jvm).toString(), 2));
            assertThat(jvm.agentLines()).contains(
                    "error: " + dir.resolve("bad.topology") + ":2: core: 'zero' is not a number from 0 to 1000000",
                    "error: the application continues, unpinned.");
        }
    }
}
