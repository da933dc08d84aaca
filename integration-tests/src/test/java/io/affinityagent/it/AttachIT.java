package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.dynamicAgentWarnings;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgentAndTheJdkWarning;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code attach}, a second {@code attach} and {@code detach} against JVMs started without the
 * agent (and one started with it), run as a user runs them; every mask is read from /proc from
 * outside, right after the command returned, before any new task reaches the workers.
 */
class AttachIT {

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    /** orders: the order-* workers, one CPU each; fj: every worker of a ForkJoinPool, on the second CPU. */
    private Path ordersAndForkJoin() {
        return Configs.writeAs(dir.resolve("first.properties"),
                "rules = orders, fj",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + cpus.both,
                "rule.fj.pool = fork-join",
                "rule.fj.cpus = " + cpus.s1,
                "rule.fj.share-cpus = true");
    }

    /** A JVM with a thread pool of two and a ForkJoinPool of two whose workers exist and sit idle. */
    private static List<Worker> idleWorkers(TargetJvm jvm, int orderWorkers) {
        jvm.command("pool p fixed " + orderWorkers + " order-");
        jvm.command("pool f forkjoin 2");
        List<Worker> workers = new ArrayList<>(jvm.occupy("p", orderWorkers));
        workers.addAll(jvm.occupy("f", 2));
        jvm.command("release p");
        jvm.command("release f");
        return workers;
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void attachPinsTheIdleWorkersOfRunningPoolsAtOnceAndNewPoolsAsTheyStart(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            List<Worker> workers = idleWorkers(jvm, 2);
            List<Worker> orders = workers.subList(0, 2);
            List<Worker> forkJoin = workers.subList(2, 4);
            assertThat(workers).allSatisfy(w -> assertThat(w.allowedCpus()).isEqualTo(everything));

            AgentCli.Result attach = AgentCli.run("attach", Long.toString(jvm.pid()), "--config",
                    ordersAndForkJoin().toString());

            // Read at once, from outside: no task has reached the idle workers since.
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            assertThat(countByMask(orders)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            assertThat(countByMask(forkJoin)).isEqualTo(Map.of(cpus.s1, 2));
            assertThat(attach.stdout()).startsWith("attached to JVM " + jvm.pid() + " (Java ")
                    .contains("pinned 2 running threads of rule orders, 2 of rule fj in ");
            System.out.println("attach on " + jdk + ": " + attach.millis() + " ms for the whole command; "
                    + attach.stdout().lines().filter(l -> l.contains(" ms")).findFirst().orElse(""));

            // A pool created after the attach is pinned as its workers start, and shares the rule's CPUs.
            jvm.command("pool late fixed 2 order-late-");
            assertThat(countByMask(jvm.occupy("late", 2))).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            assertThat(AgentStatus.loads(jvm.agentProperties(), "orders")).containsExactly(2, 2);

            assertThat(dynamicAgentWarnings(jvm)).isEqualTo(jdk.feature() >= 21 ? 1 : 0);
            if (jdk.feature() >= 21) {
                assertThat(attach.stderr()).contains("printed its warning about a dynamically loaded agent");
            }
            quietApartFromTheAgentAndTheJdkWarning(jvm);
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aSecondAttachMovesTheRunningWorkersToTheNewPlanAndKeepsThemBalanced(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            List<Worker> workers = idleWorkers(jvm, 4);
            List<Worker> orders = workers.subList(0, 4);
            List<Worker> forkJoin = workers.subList(4, 6);
            Path allOnTheFirst = Configs.writeAs(dir.resolve("first.properties"),
                    "rules = orders, fj",
                    "rule.orders.thread-name = order-*",
                    "rule.orders.cpus = " + cpus.s0,
                    "rule.fj.pool = fork-join",
                    "rule.fj.cpus = " + cpus.s1);
            Path spread = Configs.writeAs(dir.resolve("second.properties"),
                    "rule.orders.thread-name = order-*",
                    "rule.orders.cpus = " + cpus.both);
            assertThat(AgentCli.run("attach", Long.toString(jvm.pid()), "-c", allOnTheFirst.toString()).exitCode()).isZero();
            assertThat(countByMask(orders)).isEqualTo(Map.of(cpus.s0, 4));
            assertThat(countByMask(forkJoin)).isEqualTo(Map.of(cpus.s1, 2));

            AgentCli.Result second = AgentCli.run("attach", Long.toString(jvm.pid()), "-c", spread.toString());

            assertThat(second.exitCode()).as(second.toString()).isZero();
            // Loads start afresh: four workers on two CPUs are two on each, not piled where they were.
            assertThat(countByMask(orders)).isEqualTo(Map.of(cpus.s0, 2, cpus.s1, 2));
            // No rule of the new config matches the fork-join workers: they get the process's CPUs back.
            assertThat(countByMask(forkJoin)).isEqualTo(Map.of(everything.toString(), 2));
            assertThat(second.stdout()).startsWith("new config for JVM " + jvm.pid())
                    .contains("re-pinned 4 running threads of rule orders, gave 2 threads of rule fj the process's CPUs (" + everything
                            + ") back");
            Properties status = jvm.agentProperties();
            assertThat(AgentStatus.loads(status, "orders")).containsExactly(2, 2);
            assertThat(status.getProperty("affinity-agent.rules")).isEqualTo("orders");
            assertThat(status.stringPropertyNames()).noneMatch(k -> k.startsWith("affinity-agent.rule.fj"));

            // A worker re-pinned by the new plan gives its CPU back to it when it dies: the replacement
            // (the one idle worker left, so the one that takes the next task) lands there.
            Worker onOne = orders.stream().filter(w -> w.allowedCpus().equals(CpuSet.of(cpus.cpu1))).findFirst().orElseThrow();
            jvm.occupy("p", 4);
            jvm.command("kill p " + onOne.name());
            List<Worker> replacement = jvm.occupy("p", 1);
            assertThat(replacement).singleElement().satisfies(w -> assertThat(w.name()).isNotIn(
                    orders.stream().map(Worker::name).toArray()));
            assertThat(countByMask(replacement)).isEqualTo(Map.of(cpus.s1, 1));
            assertThat(AgentStatus.loads(jvm.agentProperties(), "orders")).containsExactly(2, 2);
            jvm.command("release p");

            // The second attach loaded nothing: at most the one JDK warning of the first.
            assertThat(dynamicAgentWarnings(jvm)).isEqualTo(jdk.feature() >= 21 ? 1 : 0);
            assertThat(second.stderr()).doesNotContain("printed its warning");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void detachGivesThePinnedWorkersTheProcessCpusBackAndLeavesNewWorkersAlone(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            List<Worker> workers = idleWorkers(jvm, 2);
            assertThat(AgentCli.run("attach", Long.toString(jvm.pid()), "-c", ordersAndForkJoin().toString()).exitCode())
                    .isZero();
            assertThat(countByMask(workers)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 3));

            AgentCli.Result detach = AgentCli.run("detach", Long.toString(jvm.pid()));

            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(countByMask(workers)).isEqualTo(Map.of(everything.toString(), 4));
            assertThat(detach.stdout()).isEqualTo("detached from JVM " + jvm.pid() + ": gave 2 threads of rule orders, 2 of rule fj the process's CPUs ("
                    + everything + ") back in " + detach.stdout().split(" back in ")[1]);
            Properties status = jvm.agentProperties();
            assertThat(status.getProperty("affinity-agent.state")).isEqualTo("detached");
            assertThat(status.stringPropertyNames()).noneMatch(k -> k.startsWith("affinity-agent.thread.")
                    || k.startsWith("affinity-agent.rule"));

            // New workers of a matched name and pool are left alone now.
            jvm.command("pool after fixed 2 order-after-");
            jvm.command("pool f2 forkjoin 2");
            assertThat(countByMask(jvm.occupy("after", 2))).isEqualTo(Map.of(everything.toString(), 2));
            assertThat(countByMask(jvm.occupy("f2", 2))).isEqualTo(Map.of(everything.toString(), 2));

            // Detach loaded nothing; a second one finds nothing to do.
            assertThat(dynamicAgentWarnings(jvm)).isEqualTo(jdk.feature() >= 21 ? 1 : 0);
            AgentCli.Result again = AgentCli.run("detach", Long.toString(jvm.pid()));
            assertThat(again.exitCode()).isZero();
            assertThat(again.stdout()).contains("detached already");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void anAgentStartedWithTheJvmTakesANewConfigAndDetachWithoutAnyAgentLoad(Jdk jdk) {
        Path startUp = Configs.writeAs(dir.resolve("startup.properties"),
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + cpus.s0);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(startUp).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            jvm.command("pool p fixed 2 order-");
            List<Worker> orders = jvm.occupy("p", 2);
            jvm.command("release p");
            assertThat(countByMask(orders)).isEqualTo(Map.of(cpus.s0, 2));

            AgentCli.Result attach = AgentCli.run("attach", Long.toString(jvm.pid()), "-c", ordersAndForkJoin().toString());
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            assertThat(countByMask(orders)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            AgentCli.Result detach = AgentCli.run("detach", Long.toString(jvm.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(countByMask(orders)).isEqualTo(Map.of(everything.toString(), 2));

            assertThat(dynamicAgentWarnings(jvm)).isZero();
            // No fork-join pool runs: the new config's rule fj is said to match nothing, and that is all.
            assertThat(attach.stderrLines()).singleElement().asString()
                    .startsWith("affinity-agent: warning: rule fj (pool=fork-join) matches none of the ");
            assertThat(detach.stderr()).isEmpty();
            TargetAssertions.quietApartFromTheAgent(jvm);
            assertThat(jvm.agentLines()).filteredOn(l -> l.startsWith("error:") || l.startsWith("warning:"))
                    .singleElement().asString().startsWith("warning: rule fj (pool=fork-join) matches none of the ");
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void theCommandSpeaksTheAttachProtocolItselfAndTheJdksAttachApiRemainsItsFallback(Jdk jdk) throws Exception {
        try (TargetJvm own = TargetJvm.with(jdk).start(); TargetJvm fallback = TargetJvm.with(jdk).start()) {
            List<Worker> ownWorkers = idleWorkers(own, 2);
            List<Worker> fallbackWorkers = idleWorkers(fallback, 2);
            Path classes = dir.resolve("classes-" + jdk.feature() + ".log");

            AgentCli.Result ours = AgentCli.on(jdk).jvmOptions("-Xlog:class+load:file=" + classes)
                    .execute("attach", Long.toString(own.pid()), "-c", ordersAndForkJoin().toString());
            AgentCli.Result jdks = AgentCli.on(jdk).jvmOptions("-Daffinity-agent.attach-client=jdk")
                    .execute("attach", Long.toString(fallback.pid()), "-c", ordersAndForkJoin().toString());

            assertThat(ours.exitCode()).as(ours.toString()).isZero();
            assertThat(jdks.exitCode()).as(jdks.toString()).isZero();
            assertThat(countByMask(ownWorkers)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 3));
            assertThat(countByMask(fallbackWorkers)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 3));
            // Ours loaded none of the JDK's attach classes (nor jvmstat, which they bring).
            assertThat(Files.readString(classes)).doesNotContain("com.sun.tools.attach.", "sun.jvmstat.")
                    .contains("io.affinityagent.cli.HotSpotAttachClient ");
            // Either way no trigger file is left behind.
            for (TargetJvm jvm : List.of(own, fallback)) {
                assertThat(Path.of("/proc/" + jvm.pid() + "/cwd/.attach_pid" + jvm.pid())).doesNotExist();
                assertThat(Path.of("/tmp/.attach_pid" + jvm.pid())).doesNotExist();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void theCommandLineOnOneJdkAttachesToAJvmOfTheOther(Jdk target) {
        Jdk other = target.feature() == 25 ? Jdk.current() : Jdk.jdk25();
        try (TargetJvm jvm = TargetJvm.with(target).start()) {
            List<Worker> workers = idleWorkers(jvm, 2);

            AgentCli.Result attach = AgentCli.on(other).execute("attach", Long.toString(jvm.pid()), "-c",
                    ordersAndForkJoin().toString());
            AgentCli.Result status = AgentCli.on(other).execute("status", Long.toString(jvm.pid()));

            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            assertThat(countByMask(workers)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 3));
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.stdout()).contains("agent " + jvm.agentProperties().getProperty("affinity-agent.version")
                    + ": active");
        }
    }
}
