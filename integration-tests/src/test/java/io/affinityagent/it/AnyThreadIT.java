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
    void threadSubclassesArePinnedWhetherTheyOverrideRunOrNot(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(loopsOnCpus01("round-robin")).start()) {
            int from = jvm.stdoutSize();
            jvm.command("threads s 2 loop-s plain");
            jvm.command("threads o 2 loop-o overriding");
            List<Worker> subclass = jvm.workersSince(from, "WORKER s ");
            List<Worker> overriding = jvm.workersSince(from, "WORKER o ");

            // Like Netty's FastThreadLocalThread: Thread.run is still what runs the task.
            assertThat(countByMask(subclass)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            // run() overridden without super.run(): placed by the JVM's thread-start event (ThreadSubclassIT).
            assertThat(countByMask(overriding)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void attachPinsRunningThreadsWhoseClassOverridesRunAndOnJdk25TheCommonPoolsDelayScheduler(Jdk jdk) throws Exception {
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            CpuSet everything = TargetAssertions.processCpus(jvm);
            String first = Integer.toString(everything.nth(0));
            String second = Integer.toString(everything.nth(1));
            int from = jvm.stdoutSize();
            jvm.command("threads o 2 loop-o overriding");
            jvm.command("delayed");
            List<Worker> overriding = jvm.workersSince(from, "WORKER o ");
            Path config = Configs.write(dir,
                    "rules = loops, delay",
                    "rule.loops.pool = any-thread",
                    "rule.loops.thread-name = loop-*",
                    "rule.loops.cpus = " + first,
                    "rule.delay.pool = any-thread",
                    "rule.delay.thread-name = ForkJoinPool.commonPool-delayScheduler",
                    "rule.delay.cpus = " + second);

            AgentCli.Result attach = AgentCli.on(jdk).execute("attach", Long.toString(jvm.pid()), "-c", config.toString());

            assertThat(attach.exitCode()).as("%s", attach).isZero();
            // run() overridden without super.run(): the Thread.run hook never sees them, the attach's sweep does.
            assertThat(countByMask(overriding)).isEqualTo(Map.of(first, 2));
            if (jdk.feature() >= 25) {
                Integer tid = TomcatIT.javaNames(jvm).get("ForkJoinPool.commonPool-delayScheduler");
                assertThat(TomcatIT.mask(jvm, tid)).isEqualTo(CpuSet.of(everything.nth(1)));
                assertThat(attach.stdout()).contains("pinned 2 running threads of rule loops, 1 of rule delay in ");
                noAgentProblems(jvm);
            } else { // JDK 17's delayer is a ScheduledThreadPoolExecutor worker ("CompletableFutureDelayScheduler")
                assertThat(attach.stdout()).contains("pinned 2 running threads of rule loops in ");
                // and the attach says the rule matches nothing, with that worker among the nearest names.
                assertThat(attach.stderr()).contains("rule delay (thread-name=ForkJoinPool.commonPool-delayScheduler"
                        + " pool=any-thread) matches none of the").contains("CompletableFutureDelayScheduler (a"
                        + " java.util.concurrent.ThreadPoolExecutor worker");
            }
        }
    }

    /** A natural first mistake: a thread-name rule without pool = any-thread, for threads of no pool. */
    private Path naturalMistake() {
        return Configs.writeAs(dir.resolve("natural.properties"),
                "rules = loops, natural",
                "rule.loops.pool = any-thread",
                "rule.loops.thread-name = loop-*",
                "rule.loops.cpus = " + cpus.both,
                "rule.natural.thread-name = serve-*",
                "rule.natural.cpus = " + cpus.both);
    }

    private static final String NATURAL_UNMATCHED = "rule natural (thread-name=serve-*) matches none of the ";
    private static final String NATURAL_NEAREST = "nearest: serve-\\d \\(a plain thread of no java\\.util\\.concurrent"
            + " pool\\): add pool = any-thread";

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aRuleThatMatchesNothingIsSaidWithTheNearestNamesAtTheFirstStatusReadAfterStart(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(naturalMistake()).start()) {
            jvm.command("threads l 2 loop- plain");
            jvm.command("threads s 2 serve- plain");
            assertThat(jvm.agentLines()).noneMatch(l -> l.contains("matches none"));

            jvm.agentProperties(); // the first read of the status: the application has started its threads

            String line = jvm.awaitStderr(l -> l.contains(NATURAL_UNMATCHED));
            assertThat(line).startsWith("[affinity-agent] " + NATURAL_UNMATCHED).containsPattern(NATURAL_NEAREST)
                    .endsWith("(so far; threads that start later may still match)");
            // One line per rule that matched nothing; the rule that matched is not named.
            assertThat(jvm.agentLines()).filteredOn(l -> l.contains("matches none")).hasSize(1);
            jvm.agentProperties();
            assertThat(jvm.agentLines()).filteredOn(l -> l.contains("matches none")).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aRuleThatMatchesNothingIsSaidWithTheNearestNamesAtAttach(Jdk jdk) {
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            jvm.command("threads l 2 loop- plain");
            jvm.command("threads s 2 serve- plain");

            AgentCli.Result attach = AgentCli.on(jdk).execute("attach", Long.toString(jvm.pid()), "-c",
                    naturalMistake().toString());

            assertThat(attach.exitCode()).as("%s", attach).isZero();
            assertThat(attach.stdout()).contains("pinned 2 running threads of rule loops in ");
            assertThat(attach.stderr()).contains(NATURAL_UNMATCHED).containsPattern(NATURAL_NEAREST);
            assertThat(attach.stderrLines()).filteredOn(l -> l.contains("matches none")).hasSize(1);
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
