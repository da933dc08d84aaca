package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.registry.StatusPublisher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** pool = any-thread: platform threads of no j.u.c. pool, pinned by name as they start, read from /proc. */
class AnyThreadIT {

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    private Path loopsOnCpus01(String strategy) {
        return Configs.write(dir,
                "rule.loops.pool = any-thread",
                "rule.loops.thread-name = loop-*",
                "rule.loops.cpus = " + cpus.both,
                "rule.loops.strategy = " + strategy);
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void plainNamedThreadsAreSpreadOnePerCpu(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(loopsOnCpus01("round-robin")).start()) {
            int from = jvm.stdoutSize();
            jvm.command("threads t 4 loop- plain");
            List<Worker> loops = jvm.workersSince(from, "WORKER t ");

            assertThat(loops).hasSize(4);
            assertThat(countByMask(loops)).isEqualTo(Map.of(cpus.s0, 2, cpus.s1, 2));
            assertThat(jvm.agentLines()).contains("rule loops (thread-name=loop-* pool=any-thread): CPUs " + cpus.both + ", round-robin");
            Properties status = jvm.agentProperties();
            assertThat(AgentStatus.counter(status, "loops", "pinned")).isEqualTo(4);
            noAgentProblems(jvm);
            quietApartFromTheAgent(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aThreadSubclassThatLeavesRunAloneIsPinnedOneThatOverridesItIsNot(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(loopsOnCpus01("round-robin")).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            int from = jvm.stdoutSize();
            jvm.command("threads s 2 loop-s plain");
            jvm.command("threads o 2 loop-o overriding");
            List<Worker> subclass = jvm.workersSince(from, "WORKER s ");
            List<Worker> overriding = jvm.workersSince(from, "WORKER o ");

            // Like Netty's FastThreadLocalThread: Thread.run is still what runs the task.
            assertThat(countByMask(subclass)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            // run() overridden without super.run(): never seen, left with the process's CPUs (documented).
            assertThat(countByMask(overriding)).isEqualTo(Map.of(everything.toString(), 2));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aThreadThatEndsGivesItsCpuBackToTheNextOne(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(loopsOnCpus01("round-robin")).start()) {
            int from = jvm.stdoutSize();
            jvm.command("threads t 2 loop- plain");
            List<Worker> loops = jvm.workersSince(from, "WORKER t ");
            Worker onCpu1 = loops.stream().filter(w -> w.allowedCpus().equals(CpuSet.of(cpus.cpu1))).findFirst().orElseThrow();

            jvm.command("end t " + onCpu1.name());
            Await.until("the rule's load on its second CPU to drop", TargetJvm.TIMEOUT,
                    () -> AgentStatus.loads(jvm.agentProperties(), "loops")[1] == 0);
            from = jvm.stdoutSize();
            jvm.command("threads t 1 loop- plain");
            List<Worker> next = jvm.workersSince(from, "WORKER t ");

            // A plain counter would go on to the first CPU; the freed CPU is taken first.
            assertThat(next).hasSize(1);
            assertThat(next.get(0).allowedCpus()).isEqualTo(CpuSet.of(cpus.cpu1));
            assertThat(AgentStatus.counter(jvm.agentProperties(), "loops", "exited")).isEqualTo(1);
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void sharedGivesEveryMatchedThreadTheWholeSet(Jdk jdk) {
        Path config = Configs.write(dir,
                "rule.loops.pool = any-thread",
                "rule.loops.thread-name = loop-?",
                "rule.loops.cpus = +1",
                "rule.loops.strategy = shared");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            int from = jvm.stdoutSize();
            jvm.command("threads t 3 loop- plain");
            jvm.command("threads u 1 other- plain");

            assertThat(countByMask(jvm.workersSince(from, "WORKER t "))).isEqualTo(Map.of(cpus.s1, 3));
            assertThat(countByMask(jvm.workersSince(from, "WORKER u "))).isEqualTo(Map.of(everything.toString(), 1));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void poolWorkersAreNeverAnyThreadEvenWhenTheirNameMatches(Jdk jdk) {
        // The glob would match the pool's workers; they are pool workers, decided by the pool rules only.
        Path config = Configs.write(dir,
                "rules = everything-else, orders",
                "rule.everything-else.pool = any-thread",
                "rule.everything-else.thread-name = *",
                "rule.everything-else.cpus = " + cpus.s0,
                "rule.orders.pool = thread-pool",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + cpus.s1);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            jvm.command("pool o fixed 2 order-");
            jvm.command("pool x fixed 2 other-");
            jvm.command("pool f forkjoin 2");

            List<Worker> orders = jvm.occupy("o", 2);
            List<Worker> others = jvm.occupy("x", 2);
            List<Worker> forkJoin = jvm.occupy("f", 2);
            int from = jvm.stdoutSize();
            jvm.command("threads t 2 plain- plain");
            List<Worker> plain = jvm.workersSince(from, "WORKER t ");

            assertThat(countByMask(orders)).isEqualTo(Map.of(cpus.s1, 2));
            assertThat(countByMask(others)).isEqualTo(Map.of(everything.toString(), 2));
            assertThat(countByMask(forkJoin)).isEqualTo(Map.of(everything.toString(), 2));
            assertThat(countByMask(plain)).isEqualTo(Map.of(cpus.s0, 2));
            // What the agent says it did with each (the JDK may start threads of its own, which the
            // catch-all rightly takes, so the rule's counters are not compared).
            Properties status = jvm.agentProperties();
            assertThat(orders).allSatisfy(w -> assertThat(status.getProperty(StatusPublisher.THREAD + w.tid())).startsWith("orders "));
            assertThat(others).allSatisfy(w -> assertThat(status.getProperty(StatusPublisher.THREAD + w.tid())).isNull());
            assertThat(forkJoin).allSatisfy(w -> assertThat(status.getProperty(StatusPublisher.THREAD + w.tid())).isNull());
            assertThat(plain).allSatisfy(w -> assertThat(status.getProperty(StatusPublisher.THREAD + w.tid()))
                    .isEqualTo("everything-else " + cpus.s0 + " " + w.name()));
            noAgentProblems(jvm);
        }
    }
}
