package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CPU-list forms and reserved CPUs in a real JVM on this 2-CPU machine, read from /proc. */
class CpuListFormsIT {

    @TempDir
    Path dir;

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
    void allButZero(Jdk jdk) {
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = all,!0");
        twoWorkersLandOn(jdk, config, "rule orders (thread-name=order-*): CPUs 1, round-robin", Map.of("1", 2));
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void theSecondAllowedCpuByPosition(Jdk jdk) {
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = +1");
        twoWorkersLandOn(jdk, config, "rule orders (thread-name=order-*): CPUs 1, round-robin", Map.of("1", 2));
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void reservedCpusAreKeptFromEveryRule(Jdk jdk) {
        Path config = Configs.write(dir,
                "reserved = 0                       # for the OS, the GC, the JIT",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = all");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool p fixed 2 order-");
            jvm.command("pool x fixed 1 other-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of("1", 2));
            // Reserved is for rules: a worker no rule matches may still run anywhere.
            assertThat(countByMask(jvm.occupy("x", 1))).isEqualTo(Map.of("0-1", 1));
            assertThat(jvm.agentLines()).contains("reserved: CPU 0 (no rule uses them)",
                    "rule orders (thread-name=order-*): CPUs 1, round-robin");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aRuleNamingAReservedCpuIsWarnedAndARuleLeftWithNoneIsRefused(Jdk jdk) {
        Path config = Configs.write(dir,
                "reserved = 0",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = 0");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool p fixed 2 order-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of("0-1", 2));
            assertThat(jvm.agentLines()).contains("error: " + config + ":3: rule.orders.cpus: every CPU of the rule (0) is"
                    + " reserved (reserved = 0, line 1); the rule would have none",
                    "error: the application continues, unpinned.");
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void nodeAndSocketOfThisMachine(Jdk jdk) {
        // This machine: one socket, one NUMA node, so node:0 and socket:0 are its two CPUs.
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = node:0,!socket:1-0:1");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            assertThat(jvm.agentLines()).contains("error: " + config + ":2: rule.orders.cpus: '!socket:1-0:1' is a"
                    + " reversed range; write !socket:0-1");
        }
        config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = node:0,socket:0");
        twoWorkersLandOn(jdk, config, "rule orders (thread-name=order-*): CPUs 0-1, round-robin", Map.of("0", 1, "1", 1));
    }
}
