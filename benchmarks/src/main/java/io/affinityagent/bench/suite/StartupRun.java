package io.affinityagent.bench.suite;

import io.affinityagent.bench.startup.SmallApp;
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
 * 3. A small application's wall time from launch to exit: no agent, an empty agent (what the JVM
 * charges for any -javaagent), and affinity-agent in each of its two start modes (premain waits
 * for the agent's start; main runs beside it). Every round runs the four arms in a shuffled
 * order. A few extra runs with -Xlog:startuptime and -Xlog:class+load, not timed, say where the
 * time goes.
 */
final class StartupRun {

    /** affinity-agent's own share: its arm over the empty agent's (what the JVM charges for any agent is not ours). */
    static final double TARGET_OWN_MILLIS = 25;
    private static final String BEFORE_MAIN = "affinity-agent, start=before-main";
    private static final String BACKGROUND = "affinity-agent, start=background";
    private static final Pattern PHASES = Pattern.compile("PHASES main=(\\d+) end=(\\d+)");
    private static final Pattern CLASS_LOAD = Pattern.compile("^\\[(\\d+\\.\\d+)s\\]\\[info\\]\\[class,load\\] (\\S+) source: (.*)$",
            Pattern.MULTILINE);
    /**
     * The agent's phases, seen from outside: the first load of a class each phase needs (a name
     * the agent may change; a missing one shows as a dash).
     */
    private static final String[][] MARKERS = {
        {"io.affinityagent.launcher.AgentLauncher", "premain starts (the agent's launcher class loads)"},
        {"io.affinityagent.config.ConfigLoader", "the config is read"},
        {"io.affinityagent.os.NativeHelper", "the JNI helper is loaded"},
        {"io.affinityagent.jdk.EntryHookTransformer", "the hooks are registered"},
        {SmallApp.class.getName(), "premain is over: the application's main class loads"},
        {"org.objectweb.asm.ClassReader", "the first pool class is hooked (ASM reads it)"},
    };
    private static final Pattern STARTUPTIME = Pattern.compile("\\[(\\d+\\.\\d+)s\\]\\[info\\]\\[startuptime\\] (.+), (\\d+\\.\\d+) secs");

    /** One arm: its name and its JVM options. */
    private static final class Arm {
        final String name;
        final List<String> options;
        final List<Double> wall = new ArrayList<>();
        /** The same, the JVM confined to one CPU (taskset): a background thread competes with the application. */
        final List<Double> wallOneCpu = new ArrayList<>();
        final List<Double> toMain = new ArrayList<>();
        final List<Double> app = new ArrayList<>();
        final List<Double> exit = new ArrayList<>();
        final List<Double> createVm = new ArrayList<>();
        final List<Double> moduleSystem = new ArrayList<>();
        final List<Double> afterModuleSystem = new ArrayList<>();
        final List<Double> classes = new ArrayList<>();
        final List<Double> sharedClasses = new ArrayList<>();
        final List<Double> agentClasses = new ArrayList<>();
        final List<Double> classTime = new ArrayList<>();
        final List<Double> verifyTime = new ArrayList<>();
        final List<Double> verifiedClasses = new ArrayList<>();
        final List<Double> premainClasses = new ArrayList<>();
        final List<Double> premainClassesNotShared = new ArrayList<>();
        final Map<String, List<Double>> timeline = new LinkedHashMap<>();
        /** Runs in which affinity-agent's plan was active (its start-up lines printed) before the application ended. */
        int startedBeforeExit;
        int runs;

        Arm(String name, List<String> options) {
            this.name = name;
            this.options = options;
        }
    }

    private StartupRun() {
    }

    static Section run(Environment env, Settings settings, Progress progress, Environment.Jdk jdk, String number)
            throws Exception {
        Section section = new Section(number, "Start-up on " + jdk.shortName() + ": a small application, launch to exit");
        section.text("`" + SmallApp.class.getName() + "`: a fixed pool of 2 workers and the common pool run a few tasks,"
                + " then it exits; it runs from a jar of its own (`" + env.smallAppJar.getFileName() + "`). Wall time from just before the launch to the exit, measured by the suite; "
                + settings.startupRounds + " rounds (after " + settings.startupWarmupRounds + " unrecorded) of the four"
                + " arms in shuffled order: no agent; an agent whose premain does nothing (`"
                + env.emptyAgentJar.getFileName() + "`, what the JVM itself charges for any `-javaagent`);"
                + " affinity-agent with `benchmarks/configs/startup.properties` (all three workers pinned), once with"
                + " `start=before-main` (premain waits for the agent's start: the workers are on their CPUs from their"
                + " first task) and once with `start=background` (`main` runs beside the agent's start; workers that"
                + " start first are placed by its sweep). JDK: " + jdk.describe() + ".");
        section.blank();
        List<Arm> arms = List.of(
                new Arm("no agent", List.of()),
                new Arm("empty agent", List.of("-javaagent:" + env.emptyAgentJar)),
                new Arm(BEFORE_MAIN, List.of(env.agentArgument("startup.properties") + ",start=before-main")),
                new Arm(BACKGROUND, List.of(env.agentArgument("startup.properties") + ",start=background")));
        Path dir = env.workDir.resolve("startup-" + jdk.feature);
        Random random = new Random(42);
        int total = settings.startupWarmupRounds + settings.startupRounds;
        progress.step("start-up on " + jdk.shortName() + ": " + total + " rounds of 4 arms");
        for (int round = 0; round < total; round++) {
            List<Arm> order = new ArrayList<>(arms);
            Collections.shuffle(order, random);
            for (Arm arm : order) {
                Processes.Finished f = Processes.run(command(env, jdk, arm.options, List.of()), dir,
                        JmhArms.slug(arm.name) + "-" + round, 60);
                long[] phases = check(arm, f);
                if (round >= settings.startupWarmupRounds) {
                    double wallMillis = f.wallNanos / 1e6;
                    arm.wall.add(wallMillis);
                    arm.toMain.add((double) (phases[0] - f.startedEpochMillis));
                    arm.app.add((double) (phases[1] - phases[0]));
                    arm.exit.add(f.startedEpochMillis + wallMillis - phases[1]);
                }
            }
        }
        String taskset = Environment.onPath("taskset");
        String oneCpu = Integer.toString(env.processCpus.first());
        if (taskset != null) {
            progress.step("start-up on " + jdk.shortName() + ", on one CPU (taskset -c " + oneCpu + "): " + total
                    + " rounds of 4 arms");
            for (int round = 0; round < total; round++) {
                List<Arm> order = new ArrayList<>(arms);
                Collections.shuffle(order, random);
                for (Arm arm : order) {
                    List<String> cmd = new ArrayList<>(List.of(taskset, "-c", oneCpu));
                    cmd.addAll(command(env, jdk, arm.options, List.of()));
                    Processes.Finished f = Processes.run(cmd, dir, "one-cpu-" + JmhArms.slug(arm.name) + "-" + round, 60);
                    check(arm, f);
                    if (round >= settings.startupWarmupRounds) {
                        arm.wallOneCpu.add(f.wallNanos / 1e6);
                    }
                }
            }
        }
        progress.step("start-up on " + jdk.shortName() + ": " + settings.startupExplainRuns
                + " run(s) per arm with -Xlog:startuptime and -Xlog:class+load (not timed)");
        for (int i = 0; i < settings.startupExplainRuns; i++) {
            for (Arm arm : arms) {
                Path classLog = dir.resolve("classes-" + JmhArms.slug(arm.name) + "-" + i + ".log");
                Path perfData = dir.resolve("perf-" + JmhArms.slug(arm.name) + "-" + i + ".hsperf");
                Processes.Finished f = Processes.run(command(env, jdk, arm.options,
                        List.of("-Xlog:startuptime", "-Xlog:class+load=info:file=" + classLog,
                                "-XX:+PerfDataSaveToFile", "-XX:PerfDataSaveFile=" + perfData)), dir,
                        "explain-" + JmhArms.slug(arm.name) + "-" + i, 60);
                check(arm, f);
                explain(arm, f.stdout, Processes.read(classLog));
                perfCounters(arm, jdk, perfData, dir, "jstat-" + JmhArms.slug(arm.name) + "-" + i);
            }
        }

        Samples plain = Samples.of(arms.get(0).wall);
        Samples empty = Samples.of(arms.get(1).wall);
        Samples ours = Samples.of(arms.get(2).wall);
        Samples oursBackground = Samples.of(arms.get(3).wall);
        List<List<String>> rows = new ArrayList<>();
        for (Arm arm : arms) {
            Samples w = Samples.of(arm.wall);
            rows.add(List.of(arm.name, w.describe("%.1f"), String.format(Locale.ROOT, "%+.1f", w.median() - plain.median())));
        }
        section.table(List.of("arm", "wall time, ms", "vs no agent, ms"), rows);
        double ourShareOneCpu = Double.NaN;
        double ourShareOneCpuBackground = Double.NaN;
        if (!arms.get(0).wallOneCpu.isEmpty()) {
            Samples plain1 = Samples.of(arms.get(0).wallOneCpu);
            List<List<String>> rows1 = new ArrayList<>();
            for (Arm arm : arms) {
                Samples w = Samples.of(arm.wallOneCpu);
                rows1.add(List.of(arm.name, w.describe("%.1f"),
                        String.format(Locale.ROOT, "%+.1f", w.median() - plain1.median())));
            }
            ourShareOneCpu = Samples.of(arms.get(2).wallOneCpu).median() - Samples.of(arms.get(1).wallOneCpu).median();
            ourShareOneCpuBackground = Samples.of(arms.get(3).wallOneCpu).median()
                    - Samples.of(arms.get(1).wallOneCpu).median();
            section.text("The same on one CPU (`taskset -c " + env.processCpus.first() + "`, the same number of rounds,"
                    + " shuffled apart): whatever the agent does beside the application, on a thread of its own or the JIT"
                    + " compiling its code, competes with it here.");
            section.blank();
            section.table(List.of("arm, one CPU", "wall time, ms", "vs no agent, ms"), rows1);
        }

        List<List<String>> phaseRows = new ArrayList<>();
        for (Arm arm : arms) {
            phaseRows.add(List.of(arm.name, median(arm.toMain, "%.0f"), median(arm.app, "%.0f"), median(arm.exit, "%.0f")));
        }
        section.text("Where the wall time goes (medians, ms; wall clock, so ±1 ms): JVM start to `main` (with an agent,"
                + " its premain), `main` itself (with affinity-agent, hooking each pool class as it loads, and the pins),"
                + " and the JVM's exit.");
        section.blank();
        section.table(List.of("arm", "launch → main", "main → end of main", "end of main → exit"), phaseRows);

        List<List<String>> explainRows = new ArrayList<>();
        for (Arm arm : arms) {
            explainRows.add(List.of(arm.name, median(arm.createVm, "%.1f"), median(arm.moduleSystem, "%.1f"),
                    median(arm.afterModuleSystem, "%.1f"), median(arm.classes, "%.0f"), median(arm.sharedClasses, "%.0f"),
                    median(arm.agentClasses, "%.0f"), median(arm.classTime, "%.1f"),
                    median(arm.verifyTime, "%.1f") + " (" + median(arm.verifiedClasses, "%.0f") + ")"));
        }
        section.text("From `-Xlog:startuptime` and `-Xlog:class+load` (separate, untimed runs; medians): the JVM's"
                + " \"Create VM\" phase, its \"Initialize module system\" step, the time from the end of that step to the end"
                + " of \"Create VM\" (where an agent's premain runs), and the classes loaded: all, from the CDS archive,"
                + " and the agent's own (`io.affinityagent`, ASM, and its two classes in java.base); and from the JVM's"
                + " own counters (`-XX:+PerfDataSaveToFile`, read with `jstat -snap`), the time it spent loading, linking"
                + " and initialising classes (`sun.cls.time`), and of that, verifying bytecode (`sun.cls.classVerifyTime`;"
                + " classes verified in brackets: the CDS archive's are verified already, a jar's are not).");
        section.blank();
        section.table(List.of("arm", "Create VM, ms", "Initialize module system, ms", "module system → end of Create VM, ms",
                "classes loaded", "from CDS", "agent's classes", "class loading, ms", "verification, ms (classes)"),
                explainRows);

        Arm agentArm = arms.get(2);
        Arm backgroundArm = arms.get(3);
        if (!agentArm.timeline.isEmpty()) {
            List<List<String>> timelineRows = new ArrayList<>();
            for (String[] marker : MARKERS) {
                timelineRows.add(List.of(marker[1], medianAt(agentArm, marker[1]), medianAt(backgroundArm, marker[1])));
            }
            section.text("affinity-agent's phases, from the same class-load logs (the first load of a class each phase"
                    + " needs; ms since the JVM started, medians): premain loads " + median(agentArm.premainClasses, "%.0f")
                    + " classes (" + median(agentArm.premainClassesNotShared, "%.0f") + " of them not from the CDS archive)"
                    + " with start=before-main, " + median(backgroundArm.premainClasses, "%.0f") + " ("
                    + median(backgroundArm.premainClassesNotShared, "%.0f") + ") with start=background.");
            section.blank();
            section.table(List.of("phase", "ms after JVM start, before-main", "background"), timelineRows);
        }

        section.text(String.format(Locale.ROOT, "The agent's plan was active (its start-up lines printed) before `%s`"
                + " ended in %d of %d runs with start=before-main (it must be: `main` waited for it) and in %d of %d runs"
                + " with start=background; in the others the application ended first, its workers unpinned, as it would"
                + " without the agent.", SmallApp.class.getSimpleName(), agentArm.startedBeforeExit, agentArm.runs,
                backgroundArm.startedBeforeExit, backgroundArm.runs));
        section.blank();

        double extra = ours.median() - plain.median();
        double jvmShare = empty.median() - plain.median();
        double ourShare = ours.median() - empty.median();
        // The target is the default start's; start=before-main has main wait for the whole start by choice
        // (workers on their CPUs from their first task), so what it costs is said, not judged.
        section.target("Start-up on " + jdk.shortName() + ", start=background: affinity-agent's own ms (over the empty"
                + " agent)", oursBackground.median() - empty.median(), "%.1f", true, TARGET_OWN_MILLIS);
        if (!Double.isNaN(ourShareOneCpu)) {
            section.target("Start-up on " + jdk.shortName() + ", one CPU, start=background: affinity-agent's own ms"
                    + " (over the empty agent)", ourShareOneCpuBackground, "%.1f", true, TARGET_OWN_MILLIS);
        }
        section.info("Start-up on " + jdk.shortName() + ", start=before-main (main waits for the whole start, by"
                + " choice): affinity-agent's own ms (over the empty agent)", String.format(Locale.ROOT, "%.1f ms", ourShare));
        if (!Double.isNaN(ourShareOneCpu)) {
            section.info("Start-up on " + jdk.shortName() + ", one CPU, start=before-main: affinity-agent's own ms (over"
                    + " the empty agent)", String.format(Locale.ROOT, "%.1f ms", ourShareOneCpu));
        }
        section.info("Start-up on " + jdk.shortName() + ": the JVM's cost of any -javaagent (empty agent)",
                String.format(Locale.ROOT, "%+.1f ms", jvmShare));
        section.info("Start-up on " + jdk.shortName() + ": extra ms with affinity-agent, start=before-main (over no agent)",
                String.format(Locale.ROOT, "%+.1f ms", extra));
        Samples mod0 = Samples.of(arms.get(0).moduleSystem);
        Samples mod1 = Samples.of(arms.get(1).moduleSystem);
        Samples pre2 = Samples.of(arms.get(2).afterModuleSystem);
        Samples pre0 = Samples.of(arms.get(0).afterModuleSystem);
        Samples app0 = Samples.of(arms.get(0).app);
        Samples app2 = Samples.of(arms.get(2).app);
        section.text(String.format(Locale.ROOT, "What dominates: of the %+.1f ms, %+.1f ms is what the JVM charges for any"
                        + " `-javaagent` (the empty agent; its \"Initialize module system\" step takes %.1f ms instead of"
                        + " %.1f ms), and %+.1f ms is affinity-agent's own with start=before-main: its premain (%.1f ms"
                        + " from the module system to the end of \"Create VM\", against %.1f ms without an agent) and, in `main`, hooking the pool"
                        + " classes and pinning (%+.0f ms over no agent).",
                extra, jvmShare, mod1.median(), mod0.median(), ourShare, pre2.median(), pre0.median(),
                app2.median() - app0.median()));
        Samples cls1 = Samples.of(arms.get(1).classTime);
        Samples cls2 = Samples.of(arms.get(2).classTime);
        Samples ver2 = Samples.of(arms.get(2).verifyTime);
        if (!cls1.isEmpty() && !cls2.isEmpty()) {
            section.text(String.format(Locale.ROOT, " The JVM's counters put most of affinity-agent's share in class"
                            + " loading: %.1f ms against %.1f ms with the empty agent, %.1f ms of it verifying the bytecode"
                            + " of %s classes that come from a jar rather than the CDS archive.", cls2.median(),
                    cls1.median(), ver2.median(), median(arms.get(2).verifiedClasses, "%.0f")));
        }
        section.blank();
        return section;
    }

    private static List<String> command(Environment env, Environment.Jdk jdk, List<String> armOptions,
                                        List<String> extra) {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        cmd.addAll(armOptions);
        cmd.addAll(extra);
        cmd.add("-cp");
        cmd.add(env.smallAppJar.toString());
        cmd.add(SmallApp.class.getName());
        return cmd;
    }

    /** Checks that the run did what the arm says; returns the app's main and end times (epoch ms). */
    private static long[] check(Arm arm, Processes.Finished f) {
        arm.runs++;
        Matcher m = PHASES.matcher(f.stdout);
        if (f.status != 0 || !m.find()) {
            throw new IllegalStateException(arm.name + ": the small application failed: " + f.describe());
        }
        boolean ours = arm.name.startsWith("affinity-agent");
        for (String line : f.stderr.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            boolean agentInfo = line.startsWith("[affinity-agent] ") && !line.startsWith("[affinity-agent] error")
                    && !line.startsWith("[affinity-agent] warning");
            if (!ours || !agentInfo) {
                throw new IllegalStateException(arm.name + ": unexpected output on stderr: " + line);
            }
        }
        // The agent starts beside the application: one that ends first ends as it would without it,
        // and the agent's start-up lines (one write) are there in full or not at all.
        if (ours && f.stderr.contains("[affinity-agent] rule app ")) {
            arm.startedBeforeExit++;
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static String medianAt(Arm arm, String phase) {
        List<Double> at = arm.timeline.get(phase);
        return at == null ? "—" : median(at, "%.0f");
    }

    private static void explain(Arm arm, String stdout, String classLog) {
        Map<String, double[]> phases = new LinkedHashMap<>(); // name -> {end uptime s, duration s}
        Matcher m = STARTUPTIME.matcher(stdout);
        while (m.find()) {
            phases.put(m.group(2), new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(3))});
        }
        double[] createVm = phases.get("Create VM");
        double[] modules = phases.get("Initialize module system");
        if (createVm != null) {
            arm.createVm.add(createVm[1] * 1000);
        }
        if (modules != null) {
            arm.moduleSystem.add(modules[1] * 1000);
        }
        if (createVm != null && modules != null) {
            arm.afterModuleSystem.add((createVm[0] - modules[0]) * 1000);
        }
        int all = 0;
        int shared = 0;
        int agent = 0;
        int premain = 0;
        int premainNotShared = 0;
        boolean inPremain = false;
        Map<String, Double> firstLoad = new LinkedHashMap<>();
        Matcher c = CLASS_LOAD.matcher(classLog);
        while (c.find()) {
            String name = c.group(2);
            boolean fromCds = c.group(3).startsWith("shared objects file");
            firstLoad.putIfAbsent(name, Double.parseDouble(c.group(1)) * 1000);
            all++;
            shared += fromCds ? 1 : 0;
            if ((name.startsWith("io.affinityagent.") && !name.startsWith("io.affinityagent.bench."))
                    || name.startsWith("org.objectweb.asm.") || name.startsWith("jdk.internal.misc.AffinityAgent")) {
                agent++;
            }
            if (name.equals(MARKERS[0][0])) {
                inPremain = true;
            } else if (name.equals(SmallApp.class.getName())) {
                inPremain = false;
            }
            if (inPremain) {
                premain++;
                premainNotShared += fromCds ? 0 : 1;
            }
        }
        if (firstLoad.containsKey(MARKERS[0][0])) {
            arm.premainClasses.add((double) premain);
            arm.premainClassesNotShared.add((double) premainNotShared);
            for (String[] marker : MARKERS) {
                Double at = firstLoad.get(marker[0]);
                if (at != null) {
                    arm.timeline.computeIfAbsent(marker[1], k -> new ArrayList<>()).add(at);
                }
            }
        }
        arm.classes.add((double) all);
        arm.sharedClasses.add((double) shared);
        arm.agentClasses.add((double) agent);
    }

    /** The JVM's class-loading counters, read from the saved perf data with the JDK's jstat; skipped without jstat. */
    private static void perfCounters(Arm arm, Environment.Jdk jdk, Path perfData, Path dir, String name) throws Exception {
        Path jstat = jdk.home.resolve("bin").resolve("jstat");
        if (!java.nio.file.Files.isExecutable(jstat) || !java.nio.file.Files.exists(perfData)) {
            return;
        }
        Processes.Finished f = Processes.run(List.of(jstat.toString(), "-J-Djstat.showUnsupported=true", "-snap",
                "file://" + perfData.toAbsolutePath()), dir, name, 60);
        Map<String, String> counters = new LinkedHashMap<>();
        for (String line : f.stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                counters.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        double ticksPerMilli = number(counters.get("sun.os.hrt.frequency")) / 1000;
        double time = number(counters.get("sun.cls.time"));
        double verify = number(counters.get("sun.cls.classVerifyTime"));
        if (ticksPerMilli > 0 && !Double.isNaN(time)) {
            arm.classTime.add(time / ticksPerMilli);
        }
        if (ticksPerMilli > 0 && !Double.isNaN(verify)) {
            arm.verifyTime.add(verify / ticksPerMilli);
            arm.verifiedClasses.add(number(counters.get("sun.cls.verifiedClasses")));
        }
    }

    private static double number(String s) {
        try {
            return s == null ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String median(List<Double> values, String format) {
        Samples s = Samples.of(values);
        return s.isEmpty() ? "—" : String.format(Locale.ROOT, format, s.median());
    }
}
