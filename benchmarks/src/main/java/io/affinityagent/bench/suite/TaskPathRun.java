package io.affinityagent.bench.suite;

import io.affinityagent.bench.jmh.AgentPresence;
import io.affinityagent.bench.jmh.TaskThroughputBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 1. Task throughput of a ThreadPoolExecutor and a ForkJoinPool, with the agent / without: once
 * with every fork's JVM on one CPU, where the ratio is resolved and the target is read, and once
 * on two CPUs, the usual placement, where it is too noisy to resolve anything on a small machine.
 */
final class TaskPathRun {

    static final double TARGET_RATIO = 0.98;
    /** The method that also runs the diagnostic arm (on one CPU). */
    private static final String DIAGNOSED = "forkJoinDivideAndConquer";
    private static final String WITHOUT = "without agent";
    private static final String WITH = "with agent";
    private static final String UNMATCHED = "with agent, nothing matched";
    /** The JIT of the one-CPU set, in every arm. */
    private static final String ONE_CPU_JIT = "-XX:-TieredCompilation";

    /** One way to place the forks: the JMH runner that starts them, and what the pools look like there. */
    private static final class Placement {
        final String name;
        final JmhArms jmh;
        final int rounds;
        /** The fork/join pool's workers: 1 on one CPU, where a second could only take turns with the first. */
        final int forkJoinWorkers;
        final boolean readsTarget;

        Placement(String name, JmhArms jmh, int rounds, int forkJoinWorkers, boolean readsTarget) {
            this.name = name;
            this.jmh = jmh;
            this.rounds = rounds;
            this.forkJoinWorkers = forkJoinWorkers;
            this.readsTarget = readsTarget;
        }

        String[][] methods() {
            return new String[][] {
                {"threadPoolExecute", "ThreadPoolExecutor of 1, execute from outside"},
                {"forkJoinExecute", "ForkJoinPool of 1, execute from outside"},
                {DIAGNOSED, "ForkJoinPool of " + forkJoinWorkers + ", fork/join inside"},
            };
        }
    }

    private TaskPathRun() {
    }

    static Section run(Environment env, Settings settings, Progress progress) throws Exception {
        Section section = new Section("1", "Task path: task throughput with the agent / without");
        String taskset = Environment.onPath("taskset");
        int oneCpu = env.processCpus.nth(env.processCpus.size() - 1);
        JmhArms usual = new JmhArms(env, settings, progress);
        List<Placement> placements = new ArrayList<>();
        if (taskset != null) {
            // C2 alone compiles there, in every arm: a fork's code then does not depend on when C1 took its
            // profile. (It did not take out the two speeds fork/join forks show there: those come in spells,
            // across arms; see RESULTS.md.)
            JmhArms confined = usual.onOneCpu(taskset, oneCpu).withJvmArgs(List.of(ONE_CPU_JIT));
            placements.add(new Placement("one CPU", confined, settings.taskPathRounds, 1, true));
        }
        if (env.processCpus.size() >= 2) {
            placements.add(new Placement("two CPUs", usual,
                    taskset != null ? settings.taskPathTwoCpuRounds() : settings.taskPathRounds, 2, taskset == null));
        }
        section.text("Tiny tasks (about 40 ns of work each) handed in from outside to a pool of 1 worker, or forked and"
                + " joined inside a pool; JMH `" + TaskThroughputBenchmark.class.getSimpleName() + "`, throughput in"
                + " millions of tasks per second. The arm with the agent uses `benchmarks/configs/task-path.properties`:"
                + " every benchmark worker is matched and pinned, to all the process's CPUs (`shared`), so the scheduler"
                + " has the same choices in both arms and only the agent's own cost can differ. Each fork checks that the"
                + " agent pinned its workers (or, without it, that no agent is there). Figures are the forks' scores; the"
                + " arms alternate fork by fork.");
        section.blank();
        section.text(taskset == null
                ? "`taskset` is not on the PATH here, so there is no one-CPU set; the target reads the two-CPU set."
                : "Two sets. **On one CPU** (every fork run as `taskset -c " + oneCpu + " java " + ONE_CPU_JIT + " ...`, "
                + settings.taskPathRounds + " rounds; the fork/join pool has 1 worker there): both threads, the submitter"
                + " and the worker, run on the one CPU's clock, so any work the agent added to a task on either of them"
                + " would show in full, and the hand-off between two CPUs, whose timing changes from fork to fork, is"
                + " gone; C2 alone compiles, in every arm. This set reads the target. A slow spell of the machine still"
                + " takes a few rounds down in every arm at once (fork/join forks run at one of two speeds about 30% apart,"
                + " in spells): the per-round ratios, in order below, show it. **On two CPUs** ("
                + settings.taskPathTwoCpuRounds() + " rounds, the fork/join pool of 2, the JVM's default JIT), the usual"
                + " placement, for information: there fork scores spread by 20-40% from fork to fork with or without the"
                + " agent, which no affordable number of rounds resolves to 2%.");
        section.blank();
        for (Placement p : placements) {
            measure(section, p, env, progress);
        }
        return section;
    }

    /** What a 95% interval of the ratio, {@code low} to {@code high}, says against 1 and against the target. */
    static String reading(double low, double high) {
        boolean holdsOne = low <= 1.0 && high >= 1.0;
        if (low >= TARGET_RATIO) {
            return holdsOne ? "holds 1 and lies above " + TARGET_RATIO + ": any cost is under 2%"
                    : high < 1.0 ? "below 1 but above " + TARGET_RATIO + ": a cost under 2%" : "above 1";
        }
        if (high < 1.0) {
            return "below 1: a cost";
        }
        return holdsOne ? "holds 1 and reaches below " + TARGET_RATIO + ": not resolved" : "above 1";
    }

    private static void measure(Section section, Placement p, Environment env, Progress progress) throws Exception {
        List<JmhArms.Arm> arms = List.of(
                new JmhArms.Arm(WITHOUT, false, List.of()),
                new JmhArms.Arm(WITH, true, List.of(env.agentArgument("task-path.properties"))));
        // On one CPU, for the fork/join method, a third arm: the agent loaded and hooked, matching
        // nothing. If the arm with the agent is slower and this one is not, the cost is in pinning; if
        // this one is too, in the hooks or in what the JVM does for an agent.
        JmhArms.Arm unmatched = new JmhArms.Arm(UNMATCHED, false,
                List.of(env.agentArgument("task-path-unmatched.properties"),
                        "-D" + AgentPresence.EXPECT_AGENT + "=" + AgentPresence.LOADED_ONLY));
        PairedRatio diagnostic = null;
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> perRound = new ArrayList<>();
        List<PairedRatio> ratios = new ArrayList<>();
        String[][] methods = p.methods();
        for (String[] m : methods) {
            progress.step("task path, " + p.name + ": " + m[1]);
            boolean withDiagnostic = p.readsTarget && m[0].equals(DIAGNOSED);
            List<JmhArms.Arm> these = withDiagnostic ? List.of(arms.get(0), unmatched, arms.get(1)) : arms;
            Map<String, String> params = m[0].equals(DIAGNOSED)
                    ? Map.of("forkJoinWorkers", Integer.toString(p.forkJoinWorkers)) : Map.of();
            JmhArms.Scores s = p.jmh.run(TaskThroughputBenchmark.class, m[0], params, these, p.rounds);
            if (withDiagnostic) {
                diagnostic = PairedRatio.of(s.byRound.get(WITHOUT), s.byRound.get(UNMATCHED));
            }
            Samples without = s.forks.get(WITHOUT).scaled(1e-6);
            Samples with = s.forks.get(WITH).scaled(1e-6);
            PairedRatio ratio = PairedRatio.of(s.byRound.get(WITHOUT), s.byRound.get(WITH));
            ratios.add(ratio);
            rows.add(List.of(m[1] + " (`" + m[0] + "`)", without.describe("%.3f"), with.describe("%.3f"),
                    ratio.describeMedianRatio(), ratio.describeGeometricMean(), ratio.describeRoundMedian()));
            StringBuilder r = new StringBuilder();
            for (double x : PairedRatio.perRound(s.byRound.get(WITHOUT), s.byRound.get(WITH))) {
                r.append(r.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", x));
            }
            perRound.add(List.of("`" + m[0] + "`", r.toString()));
        }
        section.text("**" + Character.toUpperCase(p.name.charAt(0)) + p.name.substring(1) + "**, " + p.rounds + " rounds:");
        section.blank();
        section.table(List.of("benchmark", "without agent, M tasks/s", "with agent, M tasks/s",
                "ratio of medians with/without", "per-round ratio, geometric mean", "per-round ratio, median"), rows);
        section.text("The three intervals are paired by round (each round ran one fork of each arm back to back, the"
                + " first arm alternating): the ratio of medians with a bootstrap interval (rounds drawn with"
                + " replacement, " + PairedRatio.RESAMPLES + " times), the per-round ratios' geometric mean with"
                + " Student's t interval on their logarithms, and their median with its distribution-free interval"
                + " (order statistics), which a few rounds spoilt by a slow spell that began inside them do not move."
                + " An interval that holds 1.000 and lies above the target shows any cost under 2%; one that lies"
                + " wholly below the target is a real miss. The ratio of each round, in order:");
        section.blank();
        section.table(List.of("benchmark", "with/without, round by round"), perRound);
        if (diagnostic != null) {
            section.text("Diagnostic, `" + DIAGNOSED + "` only, in the same rounds: a third arm with the agent loaded"
                    + " and its pool hooks installed but no rule matching (`benchmarks/configs/task-path-unmatched.properties`:"
                    + " no worker pinned, `java.lang.Thread` never retransformed). Its ratio to the arm without the agent: "
                    + diagnostic.describeMedianRatio() + " (ratio of medians), " + diagnostic.describeGeometricMean()
                    + " (per-round geometric mean).");
            section.blank();
        }
        for (int i = 0; i < methods.length; i++) {
            PairedRatio r = ratios.get(i);
            String figure = "Task path, " + p.name + ", " + methods[i][1] + ": throughput with/without";
            if (p.readsTarget) {
                section.target(figure, r.medianRatio, "%.3f", false, TARGET_RATIO);
            } else {
                section.info(figure, String.format(Locale.ROOT, "%.3f", r.medianRatio));
            }
            section.info(figure + ", 95% interval", !r.hasMedianInterval() ? "— (too few rounds)"
                    : String.format(Locale.ROOT, "%.3f–%.3f (%s)", r.medianRatioLow, r.medianRatioHigh,
                            reading(r.medianRatioLow, r.medianRatioHigh)));
            section.info(figure + ", median of the per-round ratios", Double.isNaN(r.roundMedianLow)
                    ? r.describeRoundMedian()
                    : r.describeRoundMedian() + " (" + reading(r.roundMedianLow, r.roundMedianHigh) + ")");
        }
    }
}
