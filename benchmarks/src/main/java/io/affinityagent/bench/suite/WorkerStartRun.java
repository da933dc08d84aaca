package io.affinityagent.bench.suite;

import io.affinityagent.bench.jmh.WorkerStartBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** 2. The extra time a worker start takes with the agent (its start hook and the pin). */
final class WorkerStartRun {

    static final double TARGET_EXTRA_MICROS = 20;
    private static final String[][] METHODS = {
        {"threadPoolWorker", "ThreadPoolExecutor worker"},
        {"forkJoinWorker", "ForkJoinPool worker"},
    };

    private WorkerStartRun() {
    }

    static Section run(Environment env, Settings settings, Progress progress) throws Exception {
        Section section = new Section("2", "Worker start: extra time per worker start with the agent");
        section.text("From handing a fresh one-worker pool its first task to that task running on the new worker: thread"
                + " creation and start, and with the agent the start hook and the pin. JMH `"
                + WorkerStartBenchmark.class.getSimpleName() + "`, average time per start in microseconds; the pool is"
                + " made before the clock starts and shut down (the worker's exit, and the agent's exit hook, included)"
                + " after it stops. The arm with the agent uses `benchmarks/configs/worker-start.properties`: each"
                + " worker is pinned round-robin to one CPU, a real move when it started on another.");
        section.blank();
        JmhArms jmh = new JmhArms(env, settings, progress);
        List<JmhArms.Arm> arms = List.of(
                new JmhArms.Arm("without agent", false, List.of()),
                new JmhArms.Arm("with agent", true, List.of(env.agentArgument("worker-start.properties"))),
                new JmhArms.Arm("with agent, no move", true,
                        List.of(env.agentArgument("worker-start-no-move.properties"))));
        List<List<String>> rows = new ArrayList<>();
        List<Double> extras = new ArrayList<>();
        for (String[] m : METHODS) {
            progress.step("worker start: " + m[1]);
            JmhArms.Scores s = jmh.run(WorkerStartBenchmark.class, m[0], arms, settings.jmhForks);
            Samples without = s.forks.get("without agent");
            Samples with = s.forks.get("with agent");
            Samples noMove = s.forks.get("with agent, no move");
            double extra = with.median() - without.median();
            extras.add(extra);
            rows.add(List.of(m[1] + " (`" + m[0] + "`)", without.describe("%.1f"), with.describe("%.1f"),
                    String.format(Locale.ROOT, "%+.1f", extra), noMove.describe("%.1f"),
                    String.format(Locale.ROOT, "%+.1f", noMove.median() - without.median())));
        }
        section.table(List.of("benchmark", "without agent, µs", "with agent (pinned to one CPU), µs", "extra, µs",
                "with agent, no move (all CPUs), µs", "extra, µs"), rows);
        section.text("The target is judged on the realistic arm (each worker pinned to one CPU, so a thread that started"
                + " elsewhere must move); the no-move arm (`benchmarks/configs/worker-start-no-move.properties`) runs the"
                + " same hooks, bookkeeping and system call without the move, which separates the agent's own work from"
                + " the kernel's migration of the thread.");
        section.blank();
        for (int i = 0; i < METHODS.length; i++) {
            section.target("Worker start, " + METHODS[i][1] + ": extra µs with the agent", extras.get(i), "%.1f", true,
                    TARGET_EXTRA_MICROS);
        }
        return section;
    }
}
