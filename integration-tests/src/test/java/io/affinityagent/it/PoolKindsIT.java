package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of pool the agent covers, each matched its own way, read from /proc. */
class PoolKindsIT {

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void scheduledThreadPoolExecutorWorkersAreSpread(Jdk jdk) {
        Path config = Configs.write(dir, "rule.timers.thread-name = timer-?", "rule.timers.cpus = " + cpus.both);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool s scheduled 2 timer-");
            assertThat(countByMask(jvm.occupy("s", 2))).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void poolClassMatchesTheExecutorAndItsSubclassesOnly(Jdk jdk) {
        Path config = Configs.write(dir,
                "rule.orders.pool-class = io.affinityagent.it.apps.OrderExecutor",
                "rule.orders.cpus = " + cpus.s1);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            jvm.command("pool o order 2 ord-");
            jvm.command("pool po priority-order 2 prio-");
            jvm.command("pool x plain 2 plain-");

            assertThat(countByMask(jvm.occupy("o", 2))).isEqualTo(Map.of(cpus.s1, 2));
            assertThat(countByMask(jvm.occupy("po", 2))).isEqualTo(Map.of(cpus.s1, 2));
            // Another pool in the same JVM, matched by no rule, keeps the process's mask.
            assertThat(countByMask(jvm.occupy("x", 2))).isEqualTo(Map.of(everything.toString(), 2));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aNewForkJoinPoolOfFourGoesTwoToEachCpu(Jdk jdk) {
        Path config = Configs.write(dir, "rule.fj.pool = fork-join", "rule.fj.cpus = " + cpus.both);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool f forkjoin 4");
            List<Worker> workers = jvm.occupy("f", 4);

            assertThat(workers).extracting(Worker::name).allMatch(n -> n.startsWith("ForkJoinPool-"));
            assertThat(countByMask(workers)).isEqualTo(Map.of(cpus.s0, 2, cpus.s1, 2));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void theCommonPoolIsPinnedThroughAParallelStream(Jdk jdk) {
        Path config = Configs.write(dir, "rule.common.pool = common-pool", "rule.common.cpus = " + cpus.both);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config)
                .jvmOption("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2").start()) {
            int from = jvm.stdoutSize();
            jvm.command("parallel-stream 2");
            List<Worker> workers = jvm.workersSince(from, "WORKER common-stream ");

            assertThat(workers).hasSize(2).extracting(Worker::name).allMatch(n -> n.startsWith("ForkJoinPool.commonPool-"));
            assertThat(countByMask(workers)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            noAgentProblems(jvm);
            quietApartFromTheAgent(jvm);
        }
    }

    /** Virtual threads exist from JDK 21. */
    static java.util.stream.Stream<Jdk> jdksWithVirtualThreads() {
        return Jdk.all().filter(jdk -> jdk.feature() >= 21);
    }

    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void virtualThreadCarriersArePinned(Jdk jdk) {
        Path config = Configs.write(dir,
                "rules = carriers, pools",
                "rule.carriers.pool = virtual-scheduler",
                "rule.carriers.cpus = " + cpus.both,
                "rule.pools.pool = thread-pool",
                "rule.pools.cpus = " + cpus.s1,
                "rule.pools.share-cpus = true");
        // Two carriers on any machine: the scheduler's size follows the CPU count, and a carrier
        // blocked in file I/O (reading /proc) is compensated by another unless the pool is capped.
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).jvmOption("-Djdk.virtualThreadScheduler.parallelism=2")
                .jvmOption("-Djdk.virtualThreadScheduler.maxPoolSize=2").start()) {
            int from = jvm.stdoutSize();
            jvm.command("virtual 2");
            List<Integer> carriers = jvm.stdout().subList(from, jvm.stdoutSize()).stream()
                    .filter(l -> l.startsWith("CARRIER ")).map(l -> Integer.parseInt(l.split(" ")[1]))
                    .collect(Collectors.toList());

            assertThat(carriers).hasSize(2);
            assertThat(carriers.stream().map(tid -> mask(jvm, tid)).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder(cpus.s0, cpus.s1);
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void aPoolWhoseWorkersAreVirtualThreadsIsNotPinned(Jdk jdk) {
        // Pinning "the current thread" from a virtual thread would pin its carrier: skipped.
        Path config = Configs.write(dir, "rule.pools.pool = thread-pool", "rule.pools.cpus = " + cpus.s1);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            jvm.command("pool v virtual-workers 2 vw-");
            List<Worker> onCarriers = jvm.occupy("v", 2);

            assertThat(onCarriers).hasSize(2);
            assertThat(onCarriers).allSatisfy(w -> assertThat(w.allowedCpus()).isEqualTo(everything));
            assertThat(AgentStatus.counter(jvm.agentProperties(), "pools", "matched")).isZero();
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void sizingTheSchedulersBeforeTheFirstPinStartsNoThreadOfTheJdks(Jdk jdk) throws Exception {
        // Initialising VirtualThread would start "VirtualThread-unblocker" on JDK 24+, in an
        // application that never used a virtual thread: the agent sets the scheduler's size instead.
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = 0-1");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool p fixed 2 order-");
            jvm.occupy("p", 2);

            assertThat(ProcFs.system().threads(jvm.pid())).extracting(ProcFs.ThreadInfo::name)
                    .noneMatch(name -> name.startsWith("VirtualThread"));
            noAgentProblems(jvm);
        }
    }

    private static String mask(TargetJvm jvm, int tid) {
        try {
            return ProcFs.system().threadAllowedCpus(jvm.pid(), tid).toString();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
