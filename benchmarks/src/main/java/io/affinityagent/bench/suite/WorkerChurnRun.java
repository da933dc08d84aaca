package io.affinityagent.bench.suite;

import io.affinityagent.bench.jmh.AgentPresence;
import io.affinityagent.bench.workerstart.WorkerChurnApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 2a. The worker-start cost measured over whole processes: {@link WorkerChurnApp} starts and
 * stops thousands of one-worker pools, in turn without the agent, with it (each worker pinned
 * to one CPU) and with it but no move (pinned to all CPUs); the arms run in a shuffled order in
 * every round. Per worker: the wall time, and the CPU time of the whole process.
 */
final class WorkerChurnRun {

    private static final Pattern CHURN = Pattern.compile("CHURN kind=(\\w+) workers=(\\d+) wall_ns=(\\d+) cpu_ns=(\\d+)");
    private static final Pattern HOOKS = Pattern.compile("^HOOKS(.*)$", Pattern.MULTILINE);
    private static final Pattern HOOK = Pattern.compile("([\\w-]+)=(\\d+)/(\\d+)(?:/(\\d+))?");
    /** The rows that add up the hooks: their own work, and their pin calls. */
    private static final String ALL_OWN = "all hooks, own work";
    private static final String ALL_PIN = "all hooks, pin call";
    /** Issue 11's target for the agent's own work per worker with no move. */
    private static final double TARGET_OWN_MICROS = 10;
    private static final String[][] KINDS = {
        {"tpe", "ThreadPoolExecutor worker"},
        {"fj", "ForkJoinPool worker"},
    };

    /** One arm: its name, its JVM options, and per kind the per-worker figures of each run, µs. */
    private static final class Arm {
        final String name;
        final boolean withAgent;
        final List<String> options;
        final Map<String, List<Double>> wall = new LinkedHashMap<>();
        final Map<String, List<Double>> cpu = new LinkedHashMap<>();
        /**
         * Per kind, per hook: the agent's own µs per worker in each run (its hook time, less the pin
         * call, over the timed workers), and the two sums {@link #ALL_OWN} and {@link #ALL_PIN}.
         */
        final Map<String, Map<String, List<Double>>> hooks = new LinkedHashMap<>();

        Arm(String name, boolean withAgent, List<String> options) {
            this.name = name;
            this.withAgent = withAgent;
            this.options = options;
        }
    }

    private WorkerChurnRun() {
    }

    static Section run(Environment env, Settings settings, Progress progress) throws Exception {
        Section section = new Section("2a", "Worker start, whole processes: thousands of workers started and stopped");
        section.text("`" + WorkerChurnApp.class.getName() + "` starts and stops " + settings.churnWorkers
                + " one-worker pools one after the other (after " + settings.churnWarmup + " untimed): make the pool,"
                + " hand it a task (which allocates a little, as real tasks do), wait until it runs on the new worker,"
                + " shut the pool down and wait for it to"
                + " end. Per worker, the wall time of that loop and the CPU time the whole process used meanwhile (every"
                + " thread, and the kernel's work for it). " + settings.churnRounds + " rounds; in each, one process per"
                + " arm and kind, the arms in a shuffled order. Arms: without the agent; with it, each worker pinned"
                + " round-robin to one CPU (`benchmarks/configs/worker-start.properties`, a move when the thread started"
                + " on another CPU); with it, pinned to all CPUs (`worker-start-no-move.properties`: the same hooks,"
                + " bookkeeping and system call, no move). Each process with the agent checks that the agent pinned"
                + " every worker. A figure covers a worker's start and its exit, so it bounds the start's cost from"
                + " above.");
        section.blank();
        List<Arm> arms = List.of(
                new Arm("without agent", false, List.of()),
                new Arm("with agent", true, List.of(env.agentArgument("worker-start.properties"))),
                new Arm("with agent, no move", true, List.of(env.agentArgument("worker-start-no-move.properties"))));
        Path dir = env.workDir.resolve("worker-churn");
        Random random = new Random(7);
        progress.step("worker start, whole processes: " + settings.churnRounds + " rounds of 3 arms x 2 pool kinds");
        for (int round = 0; round < settings.churnRounds; round++) {
            for (String[] kind : KINDS) {
                List<Arm> order = new ArrayList<>(arms);
                Collections.shuffle(order, random);
                for (Arm arm : order) {
                    Processes.Finished f = Processes.run(command(env, arm, kind[0], settings), dir,
                            JmhArms.slug(arm.name) + "-" + kind[0] + "-" + round, 300);
                    collect(arm, kind, f);
                }
            }
        }

        List<List<String>> rows = new ArrayList<>();
        List<double[]> extras = new ArrayList<>();
        for (String[] kind : KINDS) {
            double[] kindExtras = new double[4];
            for (int cpuTime = 0; cpuTime < 2; cpuTime++) {
                List<String> row = new ArrayList<>();
                row.add(kind[1] + (cpuTime == 0 ? ", wall time" : ", CPU time"));
                Samples without = null;
                for (int a = 0; a < arms.size(); a++) {
                    Map<String, List<Double>> figures = cpuTime == 0 ? arms.get(a).wall : arms.get(a).cpu;
                    Samples s = Samples.of(figures.get(kind[0]));
                    row.add(s.describe("%.1f"));
                    if (a == 0) {
                        without = s;
                    } else {
                        double extra = s.median() - without.median();
                        row.add(String.format(Locale.ROOT, "%+.1f", extra));
                        kindExtras[cpuTime * 2 + (a - 1)] = extra;
                    }
                }
                rows.add(row);
            }
            extras.add(kindExtras);
        }
        section.table(List.of("per worker started and stopped", "without agent, µs", "with agent (one CPU), µs",
                "extra, µs", "with agent, no move, µs", "extra, µs"), rows);
        List<List<String>> hookRows = new ArrayList<>();
        for (String[] kind : KINDS) {
            Map<String, List<Double>> one = arms.get(1).hooks.getOrDefault(kind[0], Map.of());
            Map<String, List<Double>> noMove = arms.get(2).hooks.getOrDefault(kind[0], Map.of());
            for (String hook : one.keySet()) {
                hookRows.add(List.of(kind[1] + ", " + hook, Samples.of(one.get(hook)).describe("%.1f"),
                        noMove.containsKey(hook) ? Samples.of(noMove.get(hook)).describe("%.1f") : "—"));
            }
        }
        section.text("The agent's own time per worker, by its own clock: what its hooks took during the timed part"
                + " (from the agent's status, `affinity-agent.hook-time`) less the pin call (the `sched_setaffinity`"
                + " that pins the thread, which with a move includes the migration and the wait for the target CPU),"
                + " over the number of workers; the pin calls are the last row of each kind. A hook that is the first"
                + " code of a new thread to allocate pays for setting up the thread's allocation buffer, which the"
                + " thread's first task would pay otherwise.");
        section.blank();
        section.table(List.of("hook, per worker", "with agent (one CPU), µs", "with agent, no move, µs"), hookRows);
        section.text("The wall time with a move includes the kernel migrating the new thread to its CPU, and, on a"
                + " virtual machine, waking that CPU if it was idle; the no-move arm leaves only the agent's own work"
                + " (its hooks, the rule match, the placement, the registry, one `sched_setaffinity`). The CPU time shows"
                + " what the agent costs the machine, whatever the thread waits for.");
        section.blank();
        for (int i = 0; i < KINDS.length; i++) {
            double[] e = extras.get(i);
            section.target("Worker start (whole processes), " + KINDS[i][1] + ": extra µs with the agent", e[0], "%.1f",
                    true, WorkerStartRun.TARGET_EXTRA_MICROS);
            section.target("Worker start (whole processes), " + KINDS[i][1] + ", no move: extra µs with the agent", e[1],
                    "%.1f", true, WorkerStartRun.TARGET_EXTRA_MICROS);
            section.info("Worker start (whole processes), " + KINDS[i][1] + ": extra CPU µs with the agent (one CPU / no"
                    + " move)", String.format(Locale.ROOT, "%+.1f / %+.1f", e[2], e[3]));
            Map<String, List<Double>> one = arms.get(1).hooks.getOrDefault(KINDS[i][0], Map.of());
            Map<String, List<Double>> noMove = arms.get(2).hooks.getOrDefault(KINDS[i][0], Map.of());
            if (one.containsKey(ALL_OWN) && noMove.containsKey(ALL_OWN)) {
                section.info("Worker start (whole processes), " + KINDS[i][1] + ": the agent's own µs per worker, all"
                        + " hooks, by its clock, pin call apart (one CPU / no move)", String.format(Locale.ROOT,
                        "%.1f / %.1f", Samples.of(one.get(ALL_OWN)).median(), Samples.of(noMove.get(ALL_OWN)).median()));
                section.info("Worker start (whole processes), " + KINDS[i][1] + ": µs per worker in the pin call (one CPU"
                        + " / no move)", String.format(Locale.ROOT, "%.1f / %.1f", Samples.of(one.get(ALL_PIN)).median(),
                        Samples.of(noMove.get(ALL_PIN)).median()));
                section.target("Worker start (whole processes), " + KINDS[i][1] + ", no move: the agent's own µs per"
                        + " worker", Samples.of(noMove.get(ALL_OWN)).median(), "%.1f", true, TARGET_OWN_MICROS);
            }
        }
        return section;
    }

    /** Adds one run's per-worker figures to its arm: wall and CPU time, and the agent's hook times. */
    private static void collect(Arm arm, String[] kind, Processes.Finished f) {
        Matcher m = CHURN.matcher(f.stdout);
        if (f.status != 0 || !m.find()) {
            throw new IllegalStateException(arm.name + ", " + kind[1] + ": the run failed: " + f.describe());
        }
        double workers = Double.parseDouble(m.group(2));
        arm.wall.computeIfAbsent(kind[0], k -> new ArrayList<>()).add(Double.parseDouble(m.group(3)) / 1e3 / workers);
        arm.cpu.computeIfAbsent(kind[0], k -> new ArrayList<>()).add(Double.parseDouble(m.group(4)) / 1e3 / workers);
        Matcher h = HOOKS.matcher(f.stdout);
        if (!arm.withAgent || !h.find()) {
            return;
        }
        Map<String, List<Double>> byHook = arm.hooks.computeIfAbsent(kind[0], k -> new LinkedHashMap<>());
        double own = 0;
        double pin = 0;
        Matcher one = HOOK.matcher(h.group(1));
        while (one.find()) {
            double pinMicros = one.group(4) == null ? 0 : Double.parseDouble(one.group(4)) / 1e3 / workers;
            double micros = Double.parseDouble(one.group(3)) / 1e3 / workers - pinMicros;
            own += micros;
            pin += pinMicros;
            if (Long.parseLong(one.group(2)) > 0) {
                byHook.computeIfAbsent(one.group(1), k -> new ArrayList<>()).add(micros);
            }
        }
        byHook.computeIfAbsent(ALL_OWN, k -> new ArrayList<>()).add(own);
        byHook.computeIfAbsent(ALL_PIN, k -> new ArrayList<>()).add(pin);
    }

    private static List<String> command(Environment env, Arm arm, String kind, Settings settings) {
        List<String> cmd = new ArrayList<>();
        cmd.add(env.jdk.java().toString());
        cmd.add("-Xms256m");
        cmd.add("-Xmx256m");
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.vm=ALL-UNNAMED");
        cmd.add("-D" + AgentPresence.EXPECT_AGENT + "=" + arm.withAgent);
        cmd.addAll(arm.options);
        cmd.add("-cp");
        cmd.add(env.benchClasses.toString());
        cmd.add(WorkerChurnApp.class.getName());
        cmd.add(kind);
        cmd.add(Integer.toString(settings.churnWarmup));
        cmd.add(Integer.toString(settings.churnWorkers));
        return cmd;
    }
}
