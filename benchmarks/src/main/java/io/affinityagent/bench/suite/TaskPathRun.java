package io.affinityagent.bench.suite;

import io.affinityagent.bench.jmh.AgentPresence;
import io.affinityagent.bench.jmh.TaskThroughputBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** 1. Task throughput of a ThreadPoolExecutor and a ForkJoinPool, with the agent / without. */
final class TaskPathRun {

    static final double TARGET_RATIO = 0.98;
    /** The method that also runs the diagnostic arm. */
    private static final String DIAGNOSED = "forkJoinDivideAndConquer";
    private static final String UNMATCHED = "with agent, nothing matched";
    private static final String[][] METHODS = {
        {"threadPoolExecute", "ThreadPoolExecutor of 1, execute from outside"},
        {"forkJoinExecute", "ForkJoinPool of 1, execute from outside"},
        {"forkJoinDivideAndConquer", "ForkJoinPool of 2, fork/join inside"},
    };

    private TaskPathRun() {
    }

    static Section run(Environment env, Settings settings, Progress progress) throws Exception {
        Section section = new Section("1", "Task path: task throughput with the agent / without");
        section.text("Tiny tasks (about 40 ns of work each), handed in from outside to a pool of 1 worker (the"
                + " submitter and the worker on two CPUs, with no contention between workers to add noise), or forked"
                + " and joined inside a pool of 2; JMH `"
                + TaskThroughputBenchmark.class.getSimpleName() + "`, throughput in millions of tasks per second. The arm"
                + " with the agent uses `benchmarks/configs/task-path.properties`: every benchmark worker is matched and"
                + " pinned, to all CPUs (`shared`), so the scheduler has the same choices in both arms and only the agent's"
                + " own cost can differ. Each fork checks that the agent pinned its workers (or, without it, that no agent"
                + " is there). Figures are the forks' scores; the arms alternate fork by fork, " + settings.taskPathRounds
                + " rounds.");
        section.blank();
        JmhArms jmh = new JmhArms(env, settings, progress);
        List<JmhArms.Arm> arms = List.of(
                new JmhArms.Arm("without agent", false, List.of()),
                new JmhArms.Arm("with agent", true, List.of(env.agentArgument("task-path.properties"))));
        // For the fork/join method, a third arm: the agent loaded and hooked, matching nothing. If the
        // arm with the agent is slower and this one is not, the cost is in pinning; if this one is too,
        // in the hooks or in what the JVM does for an agent.
        JmhArms.Arm unmatched = new JmhArms.Arm(UNMATCHED, false,
                List.of(env.agentArgument("task-path-unmatched.properties"),
                        "-D" + AgentPresence.EXPECT_AGENT + "=" + AgentPresence.LOADED_ONLY));
        PairedRatio diagnostic = null;
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> perRound = new ArrayList<>();
        List<PairedRatio> ratios = new ArrayList<>();
        for (String[] m : METHODS) {
            progress.step("task path: " + m[1]);
            boolean withDiagnostic = m[0].equals(DIAGNOSED);
            List<JmhArms.Arm> these = arms;
            if (withDiagnostic) {
                these = List.of(arms.get(0), unmatched, arms.get(1));
            }
            JmhArms.Scores s = jmh.run(TaskThroughputBenchmark.class, m[0], these, settings.taskPathRounds);
            if (withDiagnostic) {
                diagnostic = PairedRatio.of(s.byRound.get("without agent"), s.byRound.get(UNMATCHED));
            }
            Samples without = s.forks.get("without agent").scaled(1e-6);
            Samples with = s.forks.get("with agent").scaled(1e-6);
            PairedRatio ratio = PairedRatio.of(s.byRound.get("without agent"), s.byRound.get("with agent"));
            ratios.add(ratio);
            rows.add(List.of(m[1] + " (`" + m[0] + "`)", without.describe("%.3f"), with.describe("%.3f"),
                    ratio.describeMedianRatio(), ratio.describeGeometricMean()));
            StringBuilder r = new StringBuilder();
            for (double x : PairedRatio.perRound(s.byRound.get("without agent"), s.byRound.get("with agent"))) {
                r.append(r.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", x));
            }
            perRound.add(List.of("`" + m[0] + "`", r.toString()));
        }
        section.table(List.of("benchmark", "without agent, M tasks/s", "with agent, M tasks/s",
                "ratio of medians with/without", "per-round ratio, geometric mean"), rows);
        section.text("Both intervals are paired by round (each round ran one fork of each arm back to back, the"
                + " first arm alternating): the ratio of medians with a bootstrap interval (rounds drawn with"
                + " replacement, " + PairedRatio.RESAMPLES + " times), the per-round ratios' geometric mean with"
                + " Student's t interval on their logarithms. An interval that holds 1.000 does not resolve any"
                + " cost of the agent; one that lies wholly below the target is a real miss. The ratio of each"
                + " round, in order:");
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
        for (int i = 0; i < METHODS.length; i++) {
            PairedRatio r = ratios.get(i);
            String figure = "Task path, " + METHODS[i][1] + ": throughput with/without";
            section.target(figure, r.medianRatio, "%.3f", false, TARGET_RATIO);
            section.info(figure + ", 95% interval", !r.hasMedianInterval() ? "— (too few rounds)" : String.format(Locale.ROOT, "%.3f–%.3f%s",
                    r.medianRatioLow, r.medianRatioHigh, r.medianIntervalHolds(1.0) ? " (holds 1: no difference resolved)"
                            : r.medianRatioHigh < 1.0 ? " (below 1: a cost)" : " (above 1)"));
        }
        return section;
    }
}
