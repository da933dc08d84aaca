package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgentAndTheJdkWarning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The jar built here, on CPUs this machine does not have: Debian's OpenJDK 17 for arm64 (pinned
 * by the native helper for linux-aarch64) and for ppc64el (no helper: pinned through OpenHFT/JNA),
 * run under qemu-user. qemu-user's guest threads are real threads of this kernel, so their masks
 * are read from /proc as for any other JVM. The JDKs are unpacked by .ci/foreign-platforms.sh
 * (which .ci/run calls) and found through {@code affinity.test.foreign.ARCH}; a test whose JDK is
 * not there is skipped and says how to get it. A small subset of the suite, since an emulated JVM
 * is 10-20 times slower; its own failsafe execution runs it after the others.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ForeignArchitecturesIT {

    private static final Path CACHE = Paths.get(System.getProperty("user.home"), ".cache/affinity-agent/foreign");

    @TempDir
    Path dir;

    private static CpuSet twoCpus;

    @BeforeAll
    static void twoCpusOfThisProcess() throws IOException {
        CpuSet mine = ProcFs.system().selfAllowedCpus();
        assumeTrue(mine.size() >= 2, "these tests need two CPUs; this process may use " + mine);
        twoCpus = CpuSet.of(mine.nth(0), mine.nth(1));
    }

    /** The architecture as Java names it, where the JDK is unpacked, and what must pin there. */
    static Stream<Arguments> platforms() {
        return Stream.of(
                Arguments.of("aarch64", "arm64", "native helper linux-aarch64"),
                Arguments.of("ppc64le", "ppc64el", "OpenHFT/JNA (linux-ppc64le)"));
    }

    private static Jdk foreignJdk(String arch, String debianArch) {
        Path home = Paths.get(System.getProperty("affinity.test.foreign." + arch,
                CACHE.resolve(debianArch).resolve("jdk").toString()));
        assumeTrue(Files.isExecutable(home.resolve("bin/java")), "no " + arch + " JDK 17 at " + home
                + " (-Daffinity.test.foreign." + arch + "=...): run .ci/foreign-platforms.sh, as .ci/run does");
        return Jdk.at("JDK 17 " + arch + " (qemu-user)", home, 17);
    }

    private Path config() {
        int a = twoCpus.nth(0);
        int b = twoCpus.nth(1);
        return Configs.write(dir,
                "rules = orders, fj",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + a + "," + b,
                "rule.orders.strategy = round-robin",
                "rule.fj.pool = fork-join",
                "rule.fj.cpus = " + a + "," + b,
                "rule.fj.share-cpus = true");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void poolsArePinnedAtStartAReplacementTakesTheFreedCpuAndNothingElseIsPrinted(String arch, String debianArch,
                                                                                  String backend) {
        Jdk jdk = foreignJdk(arch, debianArch);
        String a = Integer.toString(twoCpus.nth(0));
        String b = Integer.toString(twoCpus.nth(1));
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config()).start()) {
            assertThat(jvm.agentLines()).anyMatch(l -> l.startsWith("pinning through " + backend));

            // A fixed pool, round-robin: two workers on each CPU.
            jvm.command("pool p fixed 4 order-");
            List<Worker> workers = jvm.occupy("p", 4);
            assertThat(countByMask(workers)).isEqualTo(Map.of(a, 2, b, 2));

            // A ForkJoinPool's workers.
            jvm.command("pool f forkjoin 2");
            assertThat(countByMask(jvm.occupy("f", 2))).isEqualTo(Map.of(a, 1, b, 1));

            quietApartFromTheAgent(jvm);
            noAgentProblems(jvm);

            // A worker's task throws (the application prints its stack trace, hence after the
            // quiet check); the replacement the dying worker starts takes the CPU it freed.
            Worker onB = workers.stream().filter(w -> w.allowedCpus().equals(CpuSet.of(twoCpus.nth(1)))).findFirst()
                    .orElseThrow();
            jvm.command("kill p " + onB.name());
            List<Worker> replacement = jvm.occupy("p", 1);
            assertThat(replacement).hasSize(1);
            assertThat(replacement.get(0).name()).isNotEqualTo(onB.name());
            assertThat(replacement.get(0).allowedCpus()).isEqualTo(CpuSet.of(twoCpus.nth(1)));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void attachPinsRunningWorkersAndStatusSaysWhichBackend(String arch, String debianArch, String backend) {
        Jdk jdk = foreignJdk(arch, debianArch);
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            jvm.command("pool p fixed 2 order-");
            List<Worker> workers = jvm.occupy("p", 2);
            jvm.command("release p");

            AgentCli.Result attach = AgentCli.run("attach", Long.toString(jvm.pid()), "--config", config().toString());

            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            assertThat(countByMask(workers))
                    .isEqualTo(Map.of(Integer.toString(twoCpus.nth(0)), 1, Integer.toString(twoCpus.nth(1)), 1));
            assertThat(jvm.agentLines()).contains("pinning through " + backend
                    + (backend.startsWith("OpenHFT") ? " (cannot load the agent's native helper: this agent jar has no"
                    + " native helper for linux-" + arch + " (it carries the ones for linux-amd64 and linux-aarch64))" : ""));

            AgentCli.Result status = AgentCli.run("status", Long.toString(jvm.pid()));
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("  pinning through " + backend + "\n");
            for (Worker w : workers) {
                assertThat(status.stdout().lines()).as(status.stdout())
                        .anyMatch(l -> l.matches(w.tid() + " +orders +" + w.allowedCpus() + " .*"));
            }
            AgentCli.Result json = AgentCli.run("status", Long.toString(jvm.pid()), "--json");
            assertThat(json.exitCode()).as(json.toString()).isZero();
            assertThat(json.stdout()).contains("\"backend\":\"" + backend + "\"");

            quietApartFromTheAgentAndTheJdkWarning(jvm);
            // The config's fork-join rule has no running thread to take here: the attach says so, and nothing else is wrong.
            String unmatched = "warning: rule fj (pool=fork-join) matches none of the";
            assertThat(jvm.agentLines()).anyMatch(l -> l.startsWith(unmatched));
            assertThat(jvm.agentLines()).filteredOn(l -> !l.startsWith(unmatched))
                    .noneMatch(l -> l.startsWith("warning") || l.startsWith("error"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void aThreadSubclassThatOverridesRunIsPinnedAsItStartsWhereTheHelperPinsAndSaidOnceWhereNot(String arch,
            String debianArch, String backend) {
        Jdk jdk = foreignJdk(arch, debianArch);
        String a = Integer.toString(twoCpus.nth(0));
        Path config = Configs.write(dir, "rule.loops.pool = any-thread", "rule.loops.thread-name = loop-*",
                "rule.loops.cpus = " + a);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            String everything = TargetAssertions.processCpus(jvm).toString();
            int from = jvm.stdoutSize();
            jvm.command("threads o 1 loop-o overriding");
            List<Worker> overriding = jvm.workersSince(from, "WORKER o ");

            // The JVM's thread-start event comes through the native helper (aarch64); without it, one warning.
            boolean helper = backend.startsWith("native helper");
            assertThat(countByMask(overriding)).isEqualTo(Map.of(helper ? a : everything, 1));
            assertThat(jvm.agentLines()).filteredOn(l -> l.startsWith("warning") || l.startsWith("error"))
                    .hasSize(helper ? 0 : 1).allMatch(l -> l.startsWith("warning: Thread subclasses that override run()"
                            + " are not pinned as they start"));
            quietApartFromTheAgent(jvm);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("platforms")
    void checkRunOnThatCpuSaysWhatPinsThere(String arch, String debianArch, String backend) {
        Jdk jdk = foreignJdk(arch, debianArch);

        AgentCli.Result check = AgentCli.on(jdk).execute("check", config().toString());

        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.stdout().lines()).as(check.stdout())
                .anyMatch(l -> l.startsWith("Pinning on this machine (" + arch + "): through " + backend));
        assertThat(check.stderr()).isEmpty();
    }
}
