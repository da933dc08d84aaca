package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The errors a user meets, each one clear line on stderr and a non-zero exit status, and the
 * target left as it was: no such process, a process that is not a JVM (and must not receive the
 * SIGQUIT an attach request is), a JVM that forbids loading agents or attaching, a JVM of
 * another user.
 */
class CommandLineErrorsIT {

    @TempDir
    Path dir;

    /** Pins the order-* workers to the first CPU this process may use. */
    private Path config() {
        return Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = " + TwoCpus.first());
    }

    private static String onlyLine(AgentCli.Result r) {
        assertThat(r.stderrLines()).as(r.toString()).hasSize(1);
        return r.stderrLines().get(0);
    }

    @Test
    void noSuchProcess() {
        long pid = unusedPid();
        for (String[] args : List.of(new String[] {"attach", Long.toString(pid), "-c", config().toString()},
                new String[] {"status", Long.toString(pid)}, new String[] {"detach", Long.toString(pid)})) {
            AgentCli.Result r = AgentCli.run(args);

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(onlyLine(r)).isEqualTo("affinity-agent: error: no process " + pid);
        }
    }

    @Test
    void aProcessThatIsNotAJvmIsRefusedAndNotSignalled() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "600").start();
        try {
            for (String[] args : List.of(new String[] {"attach", Long.toString(sleep.pid()), "-c", config().toString()},
                    new String[] {"status", Long.toString(sleep.pid())},
                    new String[] {"detach", Long.toString(sleep.pid())})) {
                AgentCli.Result r = AgentCli.run(args);

                assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
                assertThat(onlyLine(r)).isEqualTo("affinity-agent: error: process " + sleep.pid()
                        + " (sleep) is not a HotSpot JVM: it has no libjvm.so loaded");
            }
            // A SIGQUIT would have ended it.
            assertThat(sleep.waitFor(0, TimeUnit.MILLISECONDS)).isFalse();
        } finally {
            sleep.destroy();
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aJvmStartedWithDynamicAgentLoadingDisabled(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).jvmOption("-XX:-EnableDynamicAgentLoading").start()) {
            jvm.command("pool p fixed 1 order-");
            List<Worker> workers = jvm.occupy("p", 1);

            AgentCli.Result attach = AgentCli.run("attach", Long.toString(jvm.pid()), "-c", config().toString());
            AgentCli.Result status = AgentCli.run("status", Long.toString(jvm.pid()));
            AgentCli.Result detach = AgentCli.run("detach", Long.toString(jvm.pid()));

            assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(1);
            assertThat(onlyLine(attach)).isEqualTo("affinity-agent: error: JVM " + jvm.pid() + " was started with"
                    + " -XX:-EnableDynamicAgentLoading, so no agent can be loaded into it while it runs; start it with"
                    + " -javaagent:affinity-agent.jar=config=FILE instead");
            assertThat(countByMask(workers)).isEqualTo(Map.of(TargetAssertions.processCpus(jvm).toString(), 1));
            // Reading and detaching need no agent load.
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("agent: not loaded");
            assertThat(detach.exitCode()).isZero();
            assertThat(detach.stdout()).contains("has no affinity-agent running; nothing to detach");
            TargetAssertions.quietApartFromTheAgent(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aJvmWhoseAgentStartedWithItCanBeDetachedEvenIfItForbidsLoadingAgents(Jdk jdk) {
        TwoCpus.get(); // with one CPU, pinned and detached would look the same
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config()).jvmOption("-XX:-EnableDynamicAgentLoading").start()) {
            jvm.command("pool p fixed 1 order-");
            List<Worker> workers = jvm.occupy("p", 1);
            assertThat(countByMask(workers)).isEqualTo(Map.of(Integer.toString(TwoCpus.first()), 1));

            AgentCli.Result detach = AgentCli.run("detach", Long.toString(jvm.pid()));

            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(countByMask(workers)).isEqualTo(Map.of(TargetAssertions.processCpus(jvm).toString(), 1));
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aJvmThatTakesNoAttachRequestsIsNotSignalled(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).jvmOption("-XX:+DisableAttachMechanism").start()) {
            AgentCli.Result attach = AgentCli.run("attach", Long.toString(jvm.pid()), "-c", config().toString());

            assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(1);
            assertThat(onlyLine(attach)).isEqualTo("affinity-agent: error: JVM " + jvm.pid() + " was started with"
                    + " -XX:+DisableAttachMechanism and takes no attach requests; restart it without that option, or with"
                    + " -javaagent:affinity-agent.jar=config=FILE");
            // With attach disabled, a SIGQUIT makes the JVM print a thread dump: none was sent.
            jvm.command("pool p fixed 1 order-");
            assertThat(jvm.stdout()).noneMatch(l -> l.startsWith("Full thread dump"));
            TargetAssertions.quietApartFromTheAgent(jvm);
        }
    }

    @Test
    void aBadConfigIsReportedBeforeTheJvmIsTouched() {
        Path bad = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = 0-x");
        try (TargetJvm jvm = TargetJvm.with(Jdk.jdk25()).start()) {
            AgentCli.Result attach = AgentCli.run("attach", Long.toString(jvm.pid()), "-c", bad.toString());

            assertThat(attach.exitCode()).isEqualTo(1);
            assertThat(attach.stderrLines()).containsExactly(
                    bad + ":2: error: rule.orders.cpus: '0-x' in '0-x': expected a CPU number (0-8191), found 'x'",
                    "affinity-agent: error: the config has 1 error; JVM " + jvm.pid() + " was left as it was");
            assertThat(TargetAssertions.dynamicAgentWarnings(jvm)).isZero();
            assertThat(jvm.agentProperties().stringPropertyNames()).noneMatch(k -> k.startsWith("affinity-agent."));
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aJvmOfAnotherUserIsRefusedWithWhoToRunAs(Jdk jdk) {
        try (TestUser other = TestUser.create();
             TargetJvm jvm = TargetJvm.with(jdk).start()) { // runs as root, the tests' user
            AgentCli.Result attach = AgentCli.on(Jdk.current()).asUser(other)
                    .execute("attach", Long.toString(jvm.pid()), "-c", config().toString());
            AgentCli.Result status = AgentCli.on(Jdk.current()).asUser(other).execute("status", Long.toString(jvm.pid()));

            for (AgentCli.Result r : List.of(attach, status)) {
                assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
                assertThat(onlyLine(r)).startsWith("affinity-agent: error: process " + jvm.pid() + " runs as user 'root'"
                        + " (uid 0) and this command as '" + other.name() + "' (uid " + other.uid() + ")")
                        .endsWith("a JVM takes attach requests from its own user only: run the command as root"
                                + " (sudo java -jar affinity-agent.jar ...)");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void rootAttachesToAJvmOfAnotherUser(Jdk jdk) throws IOException {
        TwoCpus cpus = TwoCpus.get();
        try (TestUser other = TestUser.create()) {
            // The JVM runs as the other user, so it must be able to read the config (and the jar the
            // command line loads into it: the user's copy).
            Path config = Configs.writeAs(other.dir().resolve("affinity.properties"),
                    "rule.orders.thread-name = order-*", "rule.orders.cpus = " + cpus.both);
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
            AgentCli root = AgentCli.on(Jdk.current()).jarOf(other);
            try (TargetJvm jvm = TargetJvm.with(jdk).user(other).start()) {
                assertThat(ProcFs.system().owner(jvm.pid()).user()).isEqualTo(other.name());
                jvm.command("pool p fixed 2 order-");
                List<Worker> workers = jvm.occupy("p", 2);
                jvm.command("release p");

                AgentCli.Result attach = root.execute("attach", Long.toString(jvm.pid()), "-c", config.toString());
                assertThat(attach.exitCode()).as(attach.toString()).isZero();
                assertThat(countByMask(workers)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));

                // Detach through a request file that root leaves and gives to the JVM's user.
                AgentCli.Result detach = root.execute("detach", Long.toString(jvm.pid()));
                assertThat(detach.exitCode()).as(detach.toString()).isZero();
                assertThat(detach.stderr()).isEmpty();
                CpuSet everything = TargetAssertions.processCpus(jvm);
                assertThat(countByMask(workers)).isEqualTo(Map.of(everything.toString(), 2));
                assertThat(TargetAssertions.dynamicAgentWarnings(jvm)).isEqualTo(jdk.feature() >= 21 ? 1 : 0);
            }
        }
    }

    /** A pid no process has now (pid_max is at least 32768; ours are far below the top). */
    private static long unusedPid() {
        for (long pid = 4_194_303; pid > 1000; pid--) {
            if (!Files.exists(Path.of("/proc/" + pid))) {
                return pid;
            }
        }
        throw new AssertionError("no unused pid");
    }
}
