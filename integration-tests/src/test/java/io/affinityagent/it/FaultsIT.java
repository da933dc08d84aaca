package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.it.agents.PinFaultAgent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A pin that fails, for a reason outside the agent (the kernel refuses the mask) or inside it (its
 * own code throws): the worker runs unpinned and does its work, the application sees nothing,
 * the counters say failed=, and each rule warns once, naming the reason.
 */
class FaultsIT {

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    private Path twoRulesOnTwoCpus() {
        return Configs.write(dir,
                "rules = orders, quotes",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + cpus.both,
                "rule.quotes.thread-name = quote-*",
                "rule.quotes.cpus = " + cpus.both,
                "rule.quotes.share-cpus = true",
                // The kernel's refusals are the subject here: a cpuset watch would re-plan them away (CpusetChangeIT).
                "cpuset-watch = off");
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aCpuTakenFromTheProcessAfterStartIsRefusedByTheKernelAndItsWorkersRunUnpinned(Jdk jdk) {
        String unavailable = Cpuset.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, "needs a cpuset of its own: " + unavailable);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(twoRulesOnTwoCpus()).start();
             Cpuset cpuset = Cpuset.create("affinity-agent-it")) {
            // The agent started with both CPUs; now the second leaves the process, as when a container's
            // cpuset is changed under it. sched_setaffinity to that CPU alone then fails with EINVAL.
            cpuset.add(jvm.pid());
            cpuset.cpus(cpus.s0);
            Await.until("the target to be confined to CPU " + cpus.s0, TargetJvm.TIMEOUT,
                    () -> TargetAssertions.processCpus(jvm).toString().equals(cpus.s0));

            jvm.command("pool p fixed 4 order-");
            jvm.command("pool q fixed 2 quote-");
            List<Worker> orders = jvm.occupy("p", 4);
            List<Worker> quotes = jvm.occupy("q", 2);

            // Every worker ran its task; those given the first CPU are pinned there, those given the
            // second kept the only CPU the kernel left them.
            assertThat(countByMask(orders)).isEqualTo(Map.of(cpus.s0, 4));
            assertThat(countByMask(quotes)).isEqualTo(Map.of(cpus.s0, 2));
            Properties status = jvm.agentProperties();
            assertCounters(status, "orders", 4, 2, 2);
            assertCounters(status, "quotes", 2, 1, 1);
            assertThat(warnings(jvm)).as("one warning per rule").hasSize(2);
            assertThat(warnings(jvm)).anySatisfy(l -> assertThat(l).startsWith("warning: rule orders: cannot pin \"order-")
                    .contains("sched_setaffinity", "CPUs " + cpus.s1, "EINVAL", "it runs unpinned"));
            assertThat(warnings(jvm)).anySatisfy(l -> assertThat(l).startsWith("warning: rule quotes: cannot pin \"quote-")
                    .contains("EINVAL"));

            endsCleanly(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void anExceptionInTheAgentOnAWorkerStartNeverReachesTheApplication(Jdk jdk) {
        // The fault is a test agent's, started after ours: production code has no fault switch.
        Path faultAgent = TestAgentJar.build(dir, PinFaultAgent.class, TestAgentJar.jarOf(org.objectweb.asm.ClassReader.class));
        try (TargetJvm jvm = TargetJvm.with(jdk).config(twoRulesOnTwoCpus())
                .jvmOption("-javaagent:" + faultAgent + "=" + cpus.s0).start()) {
            String everything = TargetAssertions.processCpus(jvm).toString();
            jvm.command("pool p fixed 4 order-");
            jvm.command("pool q fixed 2 quote-");
            List<Worker> orders = jvm.occupy("p", 4);
            List<Worker> quotes = jvm.occupy("q", 2);

            // Half the workers were given the second CPU, where pinning throws inside the agent: they
            // run where they were, the others are pinned to the first.
            assertThat(countByMask(orders)).isEqualTo(Map.of(cpus.s0, 2, everything, 2));
            assertThat(countByMask(quotes)).isEqualTo(Map.of(cpus.s0, 1, everything, 1));
            Properties status = jvm.agentProperties();
            assertCounters(status, "orders", 4, 2, 2);
            assertCounters(status, "quotes", 2, 1, 1);
            List<String> pinWarnings = warnings(jvm).stream().filter(l -> l.contains("cannot pin")).collect(Collectors.toList());
            assertThat(pinWarnings).as("one warning per rule").hasSize(2);
            assertThat(pinWarnings).anySatisfy(l -> assertThat(l).startsWith("warning: rule orders: cannot pin \"order-")
                    .contains("the agent failed: java.lang.IndexOutOfBoundsException", "it runs unpinned"));
            assertThat(pinWarnings).anySatisfy(l -> assertThat(l).startsWith("warning: rule quotes: cannot pin \"quote-"));

            endsCleanly(jvm);
        }
    }

    /**
     * Every task runs to its end and the pools shut down as usual; the unpinned workers' exits
     * are seen like the others' (slots back, exited=), and stderr holds nothing but our lines.
     */
    private static void endsCleanly(TargetJvm jvm) {
        jvm.command("shutdown p");
        jvm.command("shutdown q");
        // A terminated pool may still have a worker between giving up (its count already taken
        // off in getTask) and its exit, where the agent hears of it: wait for the exits.
        Properties status = Await.value("every worker's exit", TargetJvm.TIMEOUT, () -> {
            Properties p = jvm.agentProperties();
            return AgentStatus.counter(p, "orders", "exited") == 4 && AgentStatus.counter(p, "quotes", "exited") == 2 ? p : null;
        });
        for (String rule : List.of("orders", "quotes")) {
            assertThat(AgentStatus.loads(status, rule)).as("%s loads", rule).containsExactly(0, 0);
            assertThat(AgentStatus.counter(status, rule, "exited")).as("%s exited", rule)
                    .isEqualTo(AgentStatus.counter(status, rule, "matched"));
        }
        quietApartFromTheAgent(jvm);
    }

    private static void assertCounters(Properties status, String rule, long matched, long pinned, long failed) {
        assertThat(AgentStatus.counter(status, rule, "matched")).as("%s matched", rule).isEqualTo(matched);
        assertThat(AgentStatus.counter(status, rule, "pinned")).as("%s pinned", rule).isEqualTo(pinned);
        assertThat(AgentStatus.counter(status, rule, "failed")).as("%s failed", rule).isEqualTo(failed);
        assertThat(AgentStatus.loads(status, rule)).as("%s loads: the unpinned still hold their slots", rule)
                .containsExactly((int) (matched / 2), (int) (matched / 2));
    }

    private static List<String> warnings(TargetJvm jvm) {
        return jvm.agentLines().stream().filter(l -> l.startsWith("warning:")).collect(Collectors.toList());
    }
}
