package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgentAndTheJdkWarning;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Thread subclasses that override run() without calling super.run() (Thread.run's hook never sees
 * them): pinned as they start through the JVM's thread-start event, with -javaagent and after an
 * attach; on JDK 25 the common pool's delay scheduler among them; detach gives them their CPUs back.
 */
class ThreadSubclassIT {

    private static final String DELAY_SCHEDULER = "ForkJoinPool.commonPool-delayScheduler";

    @TempDir
    Path dir;

    private final TwoCpus cpus = TwoCpus.get();

    /** Threads loop-* on the first CPU, the common pool's delay scheduler (JDK 25) on the second. */
    private Path loopsAndDelay() {
        return Configs.write(dir,
                "rules = loops, delay",
                "rule.loops.pool = any-thread",
                "rule.loops.thread-name = loop-*",
                "rule.loops.cpus = " + cpus.s0,
                "rule.delay.pool = any-thread",
                "rule.delay.thread-name = " + DELAY_SCHEDULER,
                "rule.delay.cpus = " + cpus.s1);
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aThreadWhoseClassOverridesRunIsPinnedAsItStarts(Jdk jdk) throws Exception {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(loopsAndDelay()).start()) {
            int from = jvm.stdoutSize();
            jvm.command("threads o 2 loop-o overriding");
            jvm.command("threads p 1 loop-p plain");

            // Each reports from its run(), after the thread-start event placed it.
            assertThat(countByMask(jvm.workersSince(from, "WORKER o "))).isEqualTo(Map.of(cpus.s0, 2));
            assertThat(countByMask(jvm.workersSince(from, "WORKER p "))).isEqualTo(Map.of(cpus.s0, 1));
            assertThat(AgentStatus.counter(jvm.agentProperties(), "loops", "pinned")).isEqualTo(3); // each once
            if (jdk.feature() >= 25) {
                jvm.command("delayed");
                delaySchedulerPinnedTo(jvm, cpus.s1);
            }
            noAgentProblems(jvm);
            quietApartFromTheAgent(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void afterAnAttachRunningAndNewSubclassThreadsArePinnedAndDetachGivesThemBack(Jdk jdk) throws Exception {
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            int from = jvm.stdoutSize();
            jvm.command("threads o 1 loop-o overriding");
            List<Worker> before = jvm.workersSince(from, "WORKER o ");

            AgentCli.Result attach = AgentCli.on(jdk).execute("attach", Long.toString(jvm.pid()), "-c",
                    loopsAndDelay().toString());
            assertThat(attach.exitCode()).as("%s", attach).isZero();
            assertThat(countByMask(before)).isEqualTo(Map.of(cpus.s0, 1)); // the attach's sweep

            from = jvm.stdoutSize();
            jvm.command("threads n 2 loop-n overriding");
            List<Worker> after = jvm.workersSince(from, "WORKER n ");
            assertThat(countByMask(after)).isEqualTo(Map.of(cpus.s0, 2)); // the thread-start event
            if (jdk.feature() >= 25) {
                jvm.command("delayed"); // the delay scheduler starts now, after the attach
                delaySchedulerPinnedTo(jvm, cpus.s1);
            }

            AgentCli.Result detach = AgentCli.run("detach", Long.toString(jvm.pid()));

            assertThat(detach.exitCode()).as("%s", detach).isZero();
            assertThat(countByMask(before)).isEqualTo(Map.of(everything.toString(), 1));
            assertThat(countByMask(after)).isEqualTo(Map.of(everything.toString(), 2));
            if (jdk.feature() >= 25) {
                delaySchedulerPinnedTo(jvm, everything.toString());
            }
            // Started after the detach: left alone.
            from = jvm.stdoutSize();
            jvm.command("threads d 1 loop-d overriding");
            assertThat(countByMask(jvm.workersSince(from, "WORKER d "))).isEqualTo(Map.of(everything.toString(), 1));
            // The one warning: at the attach the delay scheduler was not running yet.
            assertThat(jvm.agentLines()).noneMatch(l -> l.startsWith("error:"))
                    .filteredOn(l -> l.startsWith("warning:")).singleElement().asString()
                    .startsWith("warning: rule delay (thread-name=" + DELAY_SCHEDULER + " pool=any-thread) matches none");
            quietApartFromTheAgentAndTheJdkWarning(jvm);
        }
    }

    private static void delaySchedulerPinnedTo(TargetJvm jvm, String cpuList) {
        Await.until(DELAY_SCHEDULER + " on CPUs " + cpuList, TargetJvm.TIMEOUT, () -> {
            try {
                Integer tid = TomcatIT.javaNames(jvm).get(DELAY_SCHEDULER);
                return tid != null && TomcatIT.mask(jvm, tid).toString().equals(cpuList);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
