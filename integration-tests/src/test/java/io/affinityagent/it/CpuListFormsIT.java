package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU-list forms and reserved CPUs in a real JVM, read from /proc. What each form means is
 * worked out from the CPUs this process may use (the target inherits them) and from /sys.
 */
class CpuListFormsIT {

    @TempDir
    Path dir;

    /** Where round-robin puts {@code workers} workers over {@code cpus}: in CPU order, then again. */
    private static Map<String, Integer> roundRobin(CpuSet cpus, int workers) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < workers; i++) {
            counts.merge(Integer.toString(cpus.nth(i % cpus.size())), 1, Integer::sum);
        }
        return counts;
    }

    private void twoWorkersLandOn(Jdk jdk, Path config, String agentLine, Map<String, Integer> expected) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool p fixed 2 order-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(expected);
            assertThat(jvm.agentLines()).contains(agentLine);
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void allButTheFirst(Jdk jdk) {
        TwoCpus.get();
        CpuSet allowed = TwoCpus.allowed();
        int first = allowed.first();
        CpuSet rest = allowed.minus(CpuSet.of(first));
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = all,!" + first);
        twoWorkersLandOn(jdk, config, "rule orders (thread-name=order-*): CPUs " + rest + ", round-robin",
                roundRobin(rest, 2));
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void theSecondAllowedCpuByPosition(Jdk jdk) {
        TwoCpus cpus = TwoCpus.get();
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = +1");
        twoWorkersLandOn(jdk, config, "rule orders (thread-name=order-*): CPUs " + cpus.s1 + ", round-robin",
                Map.of(cpus.s1, 2));
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void reservedCpusAreKeptFromEveryRule(Jdk jdk) {
        TwoCpus.get();
        CpuSet allowed = TwoCpus.allowed();
        int first = allowed.first();
        CpuSet rest = allowed.minus(CpuSet.of(first));
        Path config = Configs.write(dir,
                "reserved = " + first + "                       # for the OS, the GC, the JIT",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = all");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool p fixed 2 order-");
            jvm.command("pool x fixed 1 other-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(roundRobin(rest, 2));
            // Reserved is for rules: a worker no rule matches may still run anywhere.
            assertThat(countByMask(jvm.occupy("x", 1))).isEqualTo(Map.of(allowed.toString(), 1));
            assertThat(jvm.agentLines()).contains("reserved: CPU " + first + " (no rule uses them)",
                    "rule orders (thread-name=order-*): CPUs " + rest + ", round-robin");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aRuleNamingAReservedCpuIsWarnedAndARuleLeftWithNoneIsRefused(Jdk jdk) {
        int first = TwoCpus.first();
        Path config = Configs.write(dir,
                "reserved = " + first,
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + first);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool p fixed 2 order-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of(TwoCpus.allowed().toString(), 2));
            assertThat(jvm.agentLines()).contains("error: " + config + ":3: rule.orders.cpus: every CPU of the rule ("
                    + first + ") is reserved (reserved = " + first + ", line 1); the rule would have none",
                    "error: the application continues, unpinned.");
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void nodeAndSocketOfThisMachine(Jdk jdk) {
        // The node and the socket of the first CPU this process may use, as /sys tells them.
        CpuSet allowed = TwoCpus.allowed();
        int node = MachineLayout.nodeOf(allowed.first());
        int socket = MachineLayout.socketOf(allowed.first());
        CpuSet expected = MachineLayout.nodeCpus(node, allowed).union(MachineLayout.socketCpus(socket, allowed));
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = node:0,!socket:1-0:1");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            assertThat(jvm.agentLines()).contains("error: " + config + ":2: rule.orders.cpus: '!socket:1-0:1' is a"
                    + " reversed range; write !socket:0-1");
        }
        config = Configs.write(dir, "rule.orders.thread-name = order-*",
                "rule.orders.cpus = node:" + node + ",socket:" + socket);
        twoWorkersLandOn(jdk, config, "rule orders (thread-name=order-*): CPUs " + expected + ", round-robin",
                roundRobin(expected, 2));
    }
}
