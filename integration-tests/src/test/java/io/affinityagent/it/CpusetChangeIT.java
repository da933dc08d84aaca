package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.StatusPublisher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The process's cpuset changes under a running JVM, as Kubernetes' CPU manager or {@code docker
 * update --cpuset-cpus} do it: the agent notices within its watch interval, re-plans, re-pins
 * every worker and says so in one line; {@code status} shows the cpuset the plan is for. The
 * JVM runs in a cpuset cgroup of the test's own (v1 here, v2 where the machine has it).
 */
class CpusetChangeIT {

    /** Short, so that the test is quick; the default (1 s) works the same way. */
    private static final String INTERVAL = "500ms";
    /** "Within the interval", allowed some slack on a machine shared with other builds. */
    private static final Duration WITHIN = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aShrunkCpusetRePinsEveryWorkerAndAGrownOneSpreadsThemAgain(Jdk jdk) throws IOException {
        String unavailable = Cpuset.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, "needs a cpuset of its own: " + unavailable);
        int[] own = ProcFs.system().selfAllowedCpus().toArray();
        Assumptions.assumeTrue(own.length >= 2, "needs 2 CPUs; this process may use " + own.length);
        int a = own[0];
        int b = own[1];
        CpuSet both = CpuSet.of(a, b);
        Path config = Configs.write(dir,
                "rules = orders",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = all",
                "cpuset-watch = " + INTERVAL);

        try (Cpuset cpuset = Cpuset.create("affinity-agent-containers-it");
             TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            cpuset.cpus(a + "," + b);
            cpuset.add(jvm.pid());
            // On a machine of more than two CPUs, joining the set is itself a change the agent follows.
            Await.until("the plan made for CPUs " + both, TargetJvm.TIMEOUT,
                    () -> jvm.agentProperties().getProperty(StatusPublisher.CPUSET, "").startsWith(both + " "));
            jvm.command("pool p fixed 4 order-");
            List<Worker> workers = jvm.occupy("p", 4);
            assertThat(TargetAssertions.countByMask(workers)).isEqualTo(Map.of(Integer.toString(a), 2, Integer.toString(b), 2));

            long t0 = System.nanoTime();
            cpuset.cpus(Integer.toString(b));
            String shrunk = jvm.awaitStderr(l -> l.startsWith("[affinity-agent] cpuset changed " + both + " -> " + b + ":"));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(shrunk).isEqualTo("[affinity-agent] cpuset changed " + both + " -> " + b
                    + ": re-pinned 4 workers; rule orders lost CPU " + a);
            assertThat(took).as("noticed within the interval (and some slack)").isLessThan(WITHIN);
            assertThat(TargetAssertions.countByMask(workers)).isEqualTo(Map.of(Integer.toString(b), 4));
            assertThat(jvm.agentProperties().getProperty(StatusPublisher.CPUSET)).isEqualTo(b + " watch=" + INTERVAL);

            // Growing back: the kernel gives every thread the whole set again (v1), so only the
            // agent's re-plan spreads the workers over both CPUs once more.
            cpuset.cpus(a + "," + b);
            String grown = jvm.awaitStderr(l -> l.startsWith("[affinity-agent] cpuset changed " + b + " -> " + both + ":"));
            assertThat(grown).isEqualTo("[affinity-agent] cpuset changed " + b + " -> " + both
                    + ": re-pinned 4 workers; rule orders gained CPU " + a);
            Await.until("the workers spread over both CPUs again", WITHIN, () -> TargetAssertions.countByMask(workers)
                    .equals(Map.of(Integer.toString(a), 2, Integer.toString(b), 2)));

            AgentCli.Result status = AgentCli.on(jdk).execute("status", Long.toString(jvm.pid()));
            assertThat(status.exitCode()).as("%s", status).isZero();
            assertThat(status.stdout()).contains("cpuset the plan was made for: " + both + " (watched every " + INTERVAL + ")");
            TargetAssertions.quietApartFromTheAgent(jvm);
            TargetAssertions.noAgentProblems(jvm);
        }
    }

    @org.junit.jupiter.api.Test
    void theWatchThreadIsNeverPinnedEvenByAnAnyThreadRuleThatMatchesIt() throws IOException {
        int[] own = ProcFs.system().selfAllowedCpus().toArray();
        Assumptions.assumeTrue(own.length >= 2, "needs 2 CPUs; this process may use " + own.length);
        // Round-robin over the first CPU alone: a thread this rule placed would sit on it.
        Path config = Configs.write(dir,
                "rules = everything",
                "rule.everything.pool = any-thread",
                "rule.everything.thread-name = *",
                "rule.everything.cpus = " + own[0],
                "cpuset-watch = " + INTERVAL);
        try (TargetJvm jvm = TargetJvm.with(Jdk.current()).config(config).start()) {
            // The watch's thread (its kernel name cut to 15 characters) once it has made its watch.
            ProcFs.ThreadInfo watch = Await.value("the watch thread", TargetJvm.TIMEOUT, () -> {
                try {
                    for (ProcFs.ThreadInfo t : ProcFs.system().threads(jvm.pid())) {
                        if (t.name().equals("affinity-agent-")) {
                            return t;
                        }
                    }
                    return null;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            jvm.command("threads c 1 plain- plain");
            assertThat(jvm.workersSince(0, "WORKER c ").get(0).allowedCpus()).as("a plain thread is placed")
                    .isEqualTo(CpuSet.of(own[0]));
            assertThat(ProcFs.system().threadAllowedCpus(jvm.pid(), watch.tid())).as("the watch keeps the process's CPUs")
                    .isEqualTo(TargetAssertions.processCpus(jvm));
        }
    }
}
