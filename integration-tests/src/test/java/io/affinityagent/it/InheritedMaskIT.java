package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.StatusPublisher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A thread starts with the mask of the thread that started it. Pinning one pool must not confine
 * the threads its workers start: those no rule matches get the process's CPUs back as they start.
 */
class InheritedMaskIT {

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    /** One order worker, pinned alone on the second CPU; the tests start threads from it. */
    private Path orderWorkerOnCpu1(String... more) {
        return Configs.write(dir, Stream.concat(Stream.of(
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + cpus.s1), Stream.of(more)).toArray(String[]::new));
    }

    private static TargetJvm startWithPinnedWorker(Jdk jdk, Path config) {
        TargetJvm jvm = TargetJvm.with(jdk).config(config).start();
        jvm.command("pool p fixed 1 order-");
        return jvm;
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aPlainThreadStartedByAPinnedWorkerGetsTheProcessMask(Jdk jdk) {
        try (TargetJvm jvm = startWithPinnedWorker(jdk, orderWorkerOnCpu1())) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            int from = jvm.stdoutSize();
            String answer = jvm.command("from p threads c 1 child- plain");
            int parentTid = Integer.parseInt(answer.substring(answer.lastIndexOf("on=") + 3));
            List<Worker> children = jvm.workersSince(from, "WORKER c ");

            assertThat(mask(jvm, parentTid)).as("the parent, order-1").isEqualTo(CpuSet.of(cpus.cpu1));
            assertThat(children).hasSize(1);
            assertThat(children.get(0).allowedCpus()).isEqualTo(everything);
            assertThat(jvm.agentProperties().getProperty(StatusPublisher.INHERITED_MASKS_RESET)).isEqualTo("1");
            noAgentProblems(jvm);
            quietApartFromTheAgent(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void unmatchedPoolWorkersStartedByAPinnedWorkerGetTheProcessMask(Jdk jdk) {
        try (TargetJvm jvm = startWithPinnedWorker(jdk, orderWorkerOnCpu1())) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            jvm.command("pool q cached 60000 child-");
            int from = jvm.stdoutSize();
            jvm.command("from p occupy q 2");
            List<Worker> children = jvm.workersSince(from, "WORKER q ");

            assertThat(children).hasSize(2);
            assertThat(countByMask(children)).isEqualTo(Map.of(everything.toString(), 2));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void commonPoolWorkersStartedByAPinnedWorkerGetTheProcessMask(Jdk jdk) {
        try (TargetJvm jvm = startWithPinnedWorker(jdk, orderWorkerOnCpu1())) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            int from = jvm.stdoutSize();
            // The pinned worker runs a parallel stream: the common pool's workers are started from it.
            jvm.command("from p parallel-stream 1");
            List<Worker> workers = jvm.workersSince(from, "WORKER common-stream ");

            assertThat(workers).isNotEmpty().extracting(Worker::name).allMatch(n -> n.startsWith("ForkJoinPool.commonPool-"));
            assertThat(workers).allSatisfy(w -> assertThat(w.allowedCpus()).isEqualTo(everything));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aChildThatARuleMatchesGetsItsRulesMaskNotItsParents(Jdk jdk) {
        Path config = orderWorkerOnCpu1(
                "rule.helpers.pool = any-thread",
                "rule.helpers.thread-name = helper-*",
                "rule.helpers.cpus = " + cpus.s0);
        try (TargetJvm jvm = startWithPinnedWorker(jdk, config)) {
            int from = jvm.stdoutSize();
            jvm.command("from p threads h 2 helper- plain");
            List<Worker> helpers = jvm.workersSince(from, "WORKER h ");

            assertThat(countByMask(helpers)).isEqualTo(Map.of(cpus.s0, 2));
            assertThat(jvm.agentProperties().getProperty(StatusPublisher.INHERITED_MASKS_RESET)).isNull();
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void threadsStartedByUnpinnedThreadsAreLeftAlone(Jdk jdk) {
        try (TargetJvm jvm = startWithPinnedWorker(jdk, orderWorkerOnCpu1())) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            assertThat(jvm.occupy("p", 1).get(0).allowedCpus()).isEqualTo(CpuSet.of(cpus.cpu1)); // pinned now
            int from = jvm.stdoutSize();
            jvm.command("threads c 2 free- plain"); // started by PoolLab's main thread

            assertThat(countByMask(jvm.workersSince(from, "WORKER c "))).isEqualTo(Map.of(everything.toString(), 2));
            assertThat(jvm.agentProperties().getProperty(StatusPublisher.INHERITED_MASKS_RESET)).isNull();
            noAgentProblems(jvm);
        }
    }

    /** Virtual threads exist from JDK 21. */
    static Stream<Jdk> jdksWithVirtualThreads() {
        return Jdk.all().filter(jdk -> jdk.feature() >= 21);
    }

    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void threadsAThreadPerTaskExecutorStartsFromAPinnedWorkerGetTheProcessMask(Jdk jdk) {
        // Thread.start(ThreadContainer), JDK 21+: hooked like Thread.start().
        try (TargetJvm jvm = startWithPinnedWorker(jdk, orderWorkerOnCpu1())) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            int from = jvm.stdoutSize();
            jvm.command("from p threads c 2 task- per-task");
            List<Worker> children = jvm.workersSince(from, "WORKER c ");

            assertThat(children).hasSize(2).extracting(Worker::name).allMatch(n -> n.startsWith("task-"));
            assertThat(countByMask(children)).isEqualTo(Map.of(everything.toString(), 2));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("jdksWithVirtualThreads")
    void theVirtualThreadSchedulerIsSizedFromTheProcessNotFromAPinnedWorker(Jdk jdk) {
        // The pool capped at the process's CPU count: a carrier blocked in file I/O (reading /proc)
        // is otherwise compensated by an extra one. The size itself is left to the JVM.
        TargetJvm.Builder builder = TargetJvm.with(jdk).config(orderWorkerOnCpu1())
                .jvmOption("-Djdk.virtualThreadScheduler.maxPoolSize=" + TwoCpus.allowed().size());
        try (TargetJvm jvm = builder.start()) {
            jvm.command("pool p fixed 1 order-");
            CpuSet everything = TargetAssertions.processCpus(jvm);
            int from = jvm.stdoutSize();
            // The first virtual threads of the JVM, started by a worker pinned to one CPU: sized from its
            // view the scheduler would have one carrier, and that carrier its mask.
            String answer = jvm.command("from p virtual " + everything.size());
            List<Integer> carriers = jvm.stdout().subList(from, jvm.stdoutSize()).stream()
                    .filter(l -> l.startsWith("CARRIER ")).map(l -> Integer.parseInt(l.split(" ")[1]))
                    .collect(Collectors.toList());

            assertThat(answer).contains("carriers=" + everything.size());
            assertThat(carriers).hasSize(everything.size());
            assertThat(carriers).allSatisfy(tid -> assertThat(mask(jvm, tid)).isEqualTo(everything));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aPinnedWorkerSeesItsMasksSizeAsAvailableProcessors(Jdk jdk) {
        try (TargetJvm jvm = startWithPinnedWorker(jdk, orderWorkerOnCpu1())) {
            assertThat(jvm.command("from p available")).contains("available=1 mask=" + cpus.s1);
            // and an unpinned thread the process's count
            int cpus = TargetAssertions.processCpus(jvm).size();
            assertThat(jvm.command("available")).contains("available=" + cpus + " ");
        }
    }

    private static CpuSet mask(TargetJvm jvm, int tid) {
        try {
            return ProcFs.system().threadAllowedCpus(jvm.pid(), tid);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
