package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Round-robin placement of ThreadPoolExecutor workers, replacement and expiry, read from /proc. */
class RoundRobinPinningIT {

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    private Path ordersOnTwoCpus() {
        return Configs.write(dir,
                "rules = orders",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + cpus.both,
                "rule.orders.strategy = round-robin");
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void fourWorkersOnTwoCpusGoTwoToEach(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(ordersOnTwoCpus()).start()) {
            jvm.command("pool p fixed 4 order-");
            List<Worker> workers = jvm.occupy("p", 4);

            assertThat(workers).hasSize(4);
            assertThat(countByMask(workers)).isEqualTo(Map.of(cpus.s0, 2, cpus.s1, 2));
            assertThat(jvm.agentLines()).contains("rule orders (thread-name=order-*): CPUs " + cpus.both + ", round-robin");
            quietApartFromTheAgent(jvm);
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aWorkerKilledByItsTaskIsReplacedOnTheSameCpu(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(ordersOnTwoCpus()).start()) {
            jvm.command("pool p fixed 2 order-");
            List<Worker> workers = jvm.occupy("p", 2);
            Worker onCpu1 = workers.stream().filter(w -> w.allowedCpus().equals(CpuSet.of(cpus.cpu1))).findFirst().orElseThrow();
            Worker onCpu0 = workers.stream().filter(w -> w.allowedCpus().equals(CpuSet.of(cpus.cpu0))).findFirst().orElseThrow();

            // Its task throws; the pool starts a replacement from inside the dying worker, which
            // inherits the second CPU's mask; a plain counter would now hand out the first.
            jvm.command("kill p " + onCpu1.name());
            List<Worker> replacement = jvm.occupy("p", 1);

            assertThat(replacement).hasSize(1);
            assertThat(replacement.get(0).name()).isNotEqualTo(onCpu1.name());
            assertThat(replacement.get(0).allowedCpus()).isEqualTo(CpuSet.of(cpus.cpu1));
            assertThat(onCpu0.allowedCpus()).isEqualTo(CpuSet.of(cpus.cpu0));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aCachedPoolsSecondWaveIsAsBalancedAsTheFirst(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(ordersOnTwoCpus()).start()) {
            jvm.command("pool c cached 200 order-");
            List<Worker> first = jvm.occupy("c", 2);
            assertThat(countByMask(first)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));

            jvm.command("release c");
            Await.until("the first wave to expire", TargetJvm.TIMEOUT, () -> first.stream().noneMatch(Worker::isAlive));
            Await.until("the rule's load to return to zero", TargetJvm.TIMEOUT,
                    () -> sum(AgentStatus.loads(jvm.agentProperties(), "orders")) == 0);

            List<Worker> second = jvm.occupy("c", 2);
            assertThat(second).extracting(Worker::name).doesNotContainAnyElementsOf(
                    first.stream().map(Worker::name).toList());
            assertThat(countByMask(second)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void threeHundredShortLivedPoolsEachSpreadAndLeakNoSlot(Jdk jdk) {
        Path config = Configs.write(dir,
                "rule.burst.thread-name = burst-*",
                "rule.burst.cpus = " + cpus.both);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            String answer = jvm.command("pools-in-a-row 300 burst-");

            assertThat(answer).endsWith("different=300 same=[]");
            Properties status = Await.value("all 600 workers to have exited", TargetJvm.TIMEOUT, () -> {
                Properties p = jvm.agentProperties();
                return AgentStatus.counter(p, "burst", "exited") == 600 ? p : null;
            });
            assertThat(AgentStatus.loads(status, "burst")).containsExactly(0, 0);
            assertThat(AgentStatus.counter(status, "burst", "matched")).isEqualTo(600);
            assertThat(AgentStatus.counter(status, "burst", "pinned")).isEqualTo(600);
            assertThat(status.stringPropertyNames()).noneMatch(k -> k.startsWith("affinity-agent.thread."));
            noAgentProblems(jvm);
        }
    }

    private static int sum(int[] loads) {
        int s = 0;
        for (int l : loads) {
            s += l;
        }
        return s;
    }

    static Duration timeout() {
        return TargetJvm.TIMEOUT;
    }
}
