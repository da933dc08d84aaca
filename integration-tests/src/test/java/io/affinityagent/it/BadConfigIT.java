package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad config names the file, the line and the key, and leaves the application running as
 * usual, unpinned; with on-error = fail the JVM refuses to start, cleanly, with status 1.
 */
class BadConfigIT {

    @TempDir
    Path dir;

    /** A config line that breaks it, the line it ends up on, the key and words of the message. */
    static Stream<Arguments> badConfigs() {
        return Jdk.all().flatMap(jdk -> Stream.of(
                Arguments.of(jdk, "malformed cpus", "rule.orders.cpus = 2-x", 3, "rule.orders.cpus", "expected a CPU number"),
                Arguments.of(jdk, "unknown key", "rule.orders.cpu = 1", 3, "rule.orders.cpu", "did you mean 'cpus'"),
                Arguments.of(jdk, "unknown strategy", "rule.orders.strategy = spiral", 3, "rule.orders.strategy",
                        "not a strategy"),
                Arguments.of(jdk, "reversed range", "rule.orders.cpus = 1-0", 3, "rule.orders.cpus", "reversed range")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badConfigs")
    void aBadLineIsNamedAndTheApplicationRunsUnpinned(Jdk jdk, String what, String badLine, int line, String key,
                                                       String words) {
        Path config = Configs.write(dir,
                "rules = orders",
                "rule.orders.thread-name = order-*",
                badLine);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool p fixed 2 order-");

            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of(TargetAssertions.processCpus(jvm).toString(), 2));
            assertThat(jvm.agentLines()).anySatisfy(l -> assertThat(l)
                    .startsWith("error: " + config + ":" + line + ": " + key + ": ").contains(words));
            assertThat(jvm.agentLines()).contains("error: the application continues, unpinned.");
            TargetAssertions.quietApartFromTheAgent(jvm);
        }
    }

    @org.junit.jupiter.api.Test
    void errorsComeInCheckOrderAndOverlapsInOneLineAtJvmStart() {
        // Problems found in another order than the file's: a rule's error before a top-level key's.
        Path config = Configs.write(dir,
                "rule.a.thread-name = a-*", "rule.a.cpus = +0",
                "rule.b.thread-name = b-*", "rule.b.cpus = +0",
                "rule.c.thread-name = c-*", "rule.c.cpus = +0");
        try (TargetJvm jvm = TargetJvm.with(Jdk.current()).config(config).start()) {
            assertThat(jvm.agentLines()).filteredOn(l -> l.startsWith("warning:")).singleElement().asString()
                    .contains("3 pairs of rules share CPUs (a/b, a/c, b/c)", "check " + config);
        }
        AgentCli.Result check = AgentCli.run("check", config.toString());
        assertThat(check.stdout().lines().filter(l -> l.contains(": warning: ") && l.contains("shares CPU"))).hasSize(3);

        Path bad = Configs.writeAs(dir.resolve("bad.properties"),
                "rule.o.thread-name = o-*",
                "rule.o.cpus = 2-x",
                "on-error = sometimes",
                "rule.p.strategy = spiral");
        try (TargetJvm jvm = TargetJvm.with(Jdk.current()).config(bad).start()) {
            java.util.List<String> atStart = jvm.agentLines().stream().filter(l -> l.startsWith("error: " + bad + ":"))
                    .map(l -> l.substring("error: ".length())).collect(java.util.stream.Collectors.toList());
            java.util.List<String> fromCheck = AgentCli.run("check", bad.toString()).stdout().lines()
                    .filter(l -> l.startsWith(bad + ":") && l.contains(": error: "))
                    .map(l -> l.replaceFirst(": error: ", ": ")).collect(java.util.stream.Collectors.toList());
            assertThat(atStart).hasSizeGreaterThanOrEqualTo(3).isEqualTo(fromCheck);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aRuleWithNoSelectorIsRefused(Jdk jdk) {
        Path config = Configs.write(dir, "rule.everything.cpus = 0");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool p fixed 1 order-");
            assertThat(countByMask(jvm.occupy("p", 1))).isEqualTo(Map.of(TargetAssertions.processCpus(jvm).toString(), 1));
            assertThat(jvm.agentLines()).anySatisfy(l -> assertThat(l)
                    .startsWith("error: " + config + ":1: rule.everything: has no selector"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aMissingFileIsNamedAndTheApplicationRunsUnpinned(Jdk jdk) {
        Path missing = dir.resolve("no-such.properties");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(missing).start()) {
            jvm.command("pool p fixed 1 order-");
            assertThat(countByMask(jvm.occupy("p", 1))).isEqualTo(Map.of(TargetAssertions.processCpus(jvm).toString(), 1));
            assertThat(jvm.agentLines()).contains("error: " + missing + ": no such file");
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void onErrorFailStopsTheJvmCleanlyWithStatusOne(Jdk jdk) {
        Path config = Configs.write(dir,
                "on-error = fail",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = 0-x");
        TargetJvm jvm = TargetJvm.with(jdk).config(config).launch();
        try {
            assertThat(jvm.awaitExit()).isEqualTo(1);
            assertThat(jvm.agentLines()).anySatisfy(l -> assertThat(l)
                    .startsWith("error: " + config + ":3: rule.orders.cpus: "));
            assertThat(jvm.agentLines()).contains("error: on-error = fail: the JVM will not start.");
            // A clean exit: the application never ran, and no crash report was written.
            assertThat(jvm.stdout()).noneMatch(l -> l.startsWith("READY"));
            assertThat(jvm.stderr()).noneMatch(l -> l.contains("hs_err") || l.contains("FATAL") || l.startsWith("#"));
        } finally {
            jvm.close();
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void onErrorFailOnTheCommandLineCoversAMissingFile(Jdk jdk) {
        Path missing = dir.resolve("no-such.properties");
        TargetJvm jvm = TargetJvm.with(jdk).agent("config=" + missing + ",on-error=fail").launch();
        try {
            assertThat(jvm.awaitExit()).isEqualTo(1);
            assertThat(jvm.agentLines()).contains("error: " + missing + ": no such file",
                    "error: on-error = fail: the JVM will not start.");
        } finally {
            jvm.close();
        }
    }
}
