package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.registry.StatusPublisher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pools the application drops without shutting them down: once their idle workers have ended,
 * the pools are garbage, and the agent must neither keep them alive (it holds pools and threads
 * weakly) nor keep their workers in its registry, loads or published status.
 */
class AbandonedPoolsIT {

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void poolsNeverShutDownAreCollectedAndLeaveNothingInTheAgent(Jdk jdk) {
        Path config = Configs.write(dir,
                "rules = cached, fj",
                "rule.cached.thread-name = gone-*",
                "rule.cached.cpus = " + cpus.both,
                "rule.fj.pool = fork-join",
                "rule.fj.cpus = " + cpus.both,
                "rule.fj.share-cpus = true");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            jvm.command("pool c cached 50 gone-");
            jvm.command("pool f forkjoin-keepalive 2 50");
            List<Worker> workers = new ArrayList<>(jvm.occupy("c", 2));
            workers.addAll(jvm.occupy("f", 2));
            assertThat(countByMask(workers)).isEqualTo(Map.of(cpus.s0, 2, cpus.s1, 2));
            Properties busy = jvm.agentProperties();
            for (Worker w : workers) {
                assertThat(busy.getProperty(StatusPublisher.THREAD + w.tid())).as("%s published", w).isNotNull();
            }
            assertThat(AgentStatus.loads(busy, "cached")).containsExactly(1, 1);
            assertThat(AgentStatus.loads(busy, "fj")).containsExactly(1, 1);

            jvm.command("abandon c");
            jvm.command("abandon f");
            Await.until("both abandoned pools to be collected in the target", TargetJvm.TIMEOUT,
                    () -> jvm.command("collected c").endsWith("collected=true")
                            && jvm.command("collected f").endsWith("collected=true"));

            assertThat(workers).noneMatch(Worker::isAlive);
            Properties after = jvm.agentProperties();
            assertThat(after.stringPropertyNames()).noneMatch(k -> k.startsWith(StatusPublisher.THREAD));
            for (String rule : List.of("cached", "fj")) {
                assertThat(AgentStatus.loads(after, rule)).as(rule).containsExactly(0, 0);
                assertThat(AgentStatus.counter(after, rule, "matched")).as(rule).isEqualTo(2);
                assertThat(AgentStatus.counter(after, rule, "exited")).as(rule).isEqualTo(2);
            }
            noAgentProblems(jvm);
        }
    }
}
