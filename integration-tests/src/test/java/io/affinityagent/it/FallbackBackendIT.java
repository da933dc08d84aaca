package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenHFT/JNA fallback on this machine's JDK 17, where the native helper cannot be loaded:
 * the JVM's java.io.tmpdir, where the helper is copied to be loaded, does not exist (JNA unpacks
 * its own library elsewhere, under ~/.cache/JNA). It pins,
 * prints nothing but the agent's lines (OpenHFT's SLF4J stays silent), says so at start-up and in
 * {@code status}, and leaves an application's own, older JNA working beside it. JDK 22+ is left
 * out: there the JDK warns about JNA's System.load from an unnamed module (README, Platforms).
 * The native path on x86-64 is what every other integration test runs.
 */
class FallbackBackendIT {


    @TempDir
    Path dir;

    private static CpuSet twoCpus;

    @BeforeAll
    static void twoCpusOfThisProcess() throws IOException {
        CpuSet mine = ProcFs.system().selfAllowedCpus();
        assumeTrue(mine.size() >= 2, "these tests need two CPUs; this process may use " + mine);
        twoCpus = CpuSet.of(mine.nth(0), mine.nth(1));
    }

    private Path config() {
        return Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = " + twoCpus.nth(0) + ","
                + twoCpus.nth(1));
    }

    /** A java.io.tmpdir that does not exist: the native helper cannot be copied out to be loaded. */
    private String noTmpDir() {
        return "-Djava.io.tmpdir=" + dir.resolve("no-such-dir");
    }

    private static String backend() {
        return "OpenHFT/JNA (linux-" + System.getProperty("os.arch") + ")";
    }

    @Test
    void theFallbackPinsQuietlyStartsNoProcessAndStatusNamesIt() throws IOException {
        Path classLog = dir.resolve("classes.log");
        try (TargetJvm jvm = TargetJvm.with(Jdk.current()).config(config()).jvmOption(noTmpDir())
                .jvmOption("-Xlog:class+load=info:file=" + classLog).start()) {
            jvm.command("pool p fixed 2 order-");
            List<Worker> workers = jvm.occupy("p", 2);

            // JNA would run /sbin/ldconfig had the agent not named the library directories for it.
            List<String> loaded = Files.readAllLines(classLog);
            assertThat(loaded).anyMatch(l -> l.contains(" net.openhft.affinity.impl.LinuxHelper "));
            assertThat(loaded).noneMatch(l -> l.contains(" java.lang.ProcessBuilder ") || l.contains(" java.lang.ProcessImpl "));

            assertThat(countByMask(workers)).isEqualTo(Map.of(Integer.toString(twoCpus.nth(0)), 1,
                    Integer.toString(twoCpus.nth(1)), 1));
            assertThat(jvm.agentLines()).anyMatch(l -> l.startsWith("pinning through " + backend()
                    + " (cannot load the agent's native helper: " + dir.resolve("no-such-dir")));
            quietApartFromTheAgent(jvm);
            noAgentProblems(jvm);

            AgentCli.Result status = AgentCli.run("status", Long.toString(jvm.pid()));
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("  pinning through " + backend() + "\n");
            AgentCli.Result json = AgentCli.run("status", Long.toString(jvm.pid()), "--json");
            assertThat(json.stdout()).contains("\"backend\":\"" + backend() + "\"");
        }
    }

    @Test
    void withoutTheHelperAThreadSubclassThatOverridesRunIsLeftAloneAsItStartsAndTheAgentSaysSoOnce() {
        Path config = Configs.write(dir, "rule.loops.pool = any-thread", "rule.loops.thread-name = loop-*",
                "rule.loops.cpus = " + twoCpus.nth(0));
        try (TargetJvm jvm = TargetJvm.with(Jdk.current()).config(config).jvmOption(noTmpDir()).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            int from = jvm.stdoutSize();
            jvm.command("threads p 1 loop-p plain");
            jvm.command("threads o 1 loop-o overriding");

            assertThat(countByMask(jvm.workersSince(from, "WORKER p "))).isEqualTo(Map.of(Integer.toString(twoCpus.nth(0)), 1));
            assertThat(countByMask(jvm.workersSince(from, "WORKER o "))).isEqualTo(Map.of(everything.toString(), 1));
            assertThat(jvm.agentLines()).filteredOn(l -> l.startsWith("warning:")).containsExactly("warning: Thread"
                    + " subclasses that override run() are not pinned as they start: the JVM's thread-start event comes"
                    + " through the agent's native helper, which is not what pins here (" + backend() + "); an attach"
                    + " pins them once they run");
            quietApartFromTheAgent(jvm);
        }
    }

    @Test
    void theNativeHelperIsWhatPinsHereAndStatusAndCheckSaySo() {
        String here = "native helper linux-" + System.getProperty("os.arch");
        try (TargetJvm jvm = TargetJvm.with(Jdk.current()).config(config()).start()) {
            assertThat(jvm.agentLines()).contains("pinning through " + here);
            assertThat(AgentCli.run("status", Long.toString(jvm.pid())).stdout()).contains("  pinning through " + here + "\n");
        }
        AgentCli.Result check = AgentCli.run("check", config().toString());
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.stdout()).endsWith("Pinning on this machine (" + System.getProperty("os.arch") + "): through "
                + here + "\n");
    }

    @Test
    void anApplicationsOwnJnaKeepsWorkingBesideTheAgentsJna() {
        File libs = Paths.get(System.getProperty("affinity.test.clash-libs", "target/clash-libs")).toFile();
        String classpath = TargetJvm.APPS_CLASSPATH + File.pathSeparator + Arrays.stream(libs.listFiles())
                .map(File::getPath).sorted().collect(Collectors.joining(File.pathSeparator));
        try (TargetJvm jvm = TargetJvm.with(Jdk.current()).config(config()).jvmOption(noTmpDir()).classpath(classpath)
                .main("io.affinityagent.it.apps.ClashApp").launch()) {
            assertThat(jvm.awaitExit()).as(jvm.describe()).isZero();
            String line = jvm.awaitStdout(l -> l.startsWith("CLASH "));

            assertThat(line).contains("jna=5.13.0 from jna-5.13.0.jar", "getpid=true");
            String workers = line.substring(line.indexOf("workers=") + "workers=".length());
            assertThat(Arrays.stream(workers.split(",")).map(w -> w.split(":")[1]).sorted().collect(Collectors.toList()))
                    .containsExactly(Integer.toString(twoCpus.nth(0)), Integer.toString(twoCpus.nth(1)));
            assertThat(jvm.agentLines()).anyMatch(l -> l.startsWith("pinning through " + backend()));
            quietApartFromTheAgent(jvm);
            noAgentProblems(jvm);
        }
    }
}
