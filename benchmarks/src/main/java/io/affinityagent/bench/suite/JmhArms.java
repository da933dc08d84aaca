package io.affinityagent.bench.suite;

import io.affinityagent.bench.jmh.AgentPresence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one JMH benchmark method in several arms (JVM options: with the agent, without), one fork
 * at a time and alternating the arms fork by fork (A B, B A, A B, ...), so that a machine that
 * drifts during the run drifts under both arms alike.
 */
final class JmhArms {

    /** An arm: a name and the JVM options its forks get on top of the common ones. */
    static final class Arm {
        final String name;
        final List<String> jvmArgs;
        final boolean withAgent;

        Arm(String name, boolean withAgent, List<String> jvmArgs) {
            this.name = name;
            this.withAgent = withAgent;
            this.jvmArgs = jvmArgs;
        }
    }

    /** The score of every fork, per arm, and the unit. */
    static final class Scores {
        final Map<String, Samples> forks = new LinkedHashMap<>();
        final Map<String, Samples> iterations = new LinkedHashMap<>();
        /** Each arm's fork scores in round order: index i of every arm is round i, run back to back. */
        final Map<String, List<Double>> byRound = new LinkedHashMap<>();
        String unit = "";
    }

    private final Environment env;
    private final Settings settings;
    private final Progress progress;
    /** What JMH starts each fork with: the JDK's java, or a script that confines it to one CPU. */
    private final Path jvm;
    /** JVM options of this placement, for every arm, after the common ones. */
    private final List<String> placementJvmArgs;

    JmhArms(Environment env, Settings settings, Progress progress) {
        this(env, settings, progress, env.jdk.java(), List.of());
    }

    private JmhArms(Environment env, Settings settings, Progress progress, Path jvm, List<String> placementJvmArgs) {
        this.env = env;
        this.settings = settings;
        this.progress = progress;
        this.jvm = jvm;
        this.placementJvmArgs = placementJvmArgs;
    }

    /** The same arms, every fork with {@code jvmArgs} too (in every arm alike). */
    JmhArms withJvmArgs(List<String> jvmArgs) {
        List<String> all = new ArrayList<>(placementJvmArgs);
        all.addAll(jvmArgs);
        return new JmhArms(env, settings, progress, jvm, List.copyOf(all));
    }

    /**
     * The same arms with every fork's JVM confined to {@code cpu} ({@code taskset -c CPU java ...}:
     * JMH takes a JVM, not a command, so a two-line script in the work folder stands for it).
     */
    JmhArms onOneCpu(String taskset, int cpu) throws IOException {
        Path script = env.workDir.resolve("java-on-cpu-" + cpu);
        Files.writeString(script, "#!/bin/sh\nexec " + shellQuoted(taskset) + " -c " + cpu + " "
                + shellQuoted(env.jdk.java().toString()) + " \"$@\"\n");
        if (!script.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + script + " executable");
        }
        return new JmhArms(env, settings, progress, script, placementJvmArgs);
    }

    /** JVM options every fork gets, in every arm. */
    List<String> commonJvmArgs() {
        List<String> args = new ArrayList<>(List.of("-Xms1g", "-Xmx1g",
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"));
        if (env.jdk.feature >= 22) {
            // The raw pin-call benchmark loads native code from the class path (ours and JNA).
            args.add("--enable-native-access=ALL-UNNAMED");
        }
        if (env.jdk.feature >= 24) {
            // JMH 1.37 itself uses sun.misc.Unsafe; keep its warning out of the forks' output.
            args.add("--sun-misc-unsafe-memory-access=allow");
        }
        args.addAll(placementJvmArgs);
        return args;
    }

    Scores run(Class<?> benchmark, String method, List<Arm> arms, int forksPerArm) throws RunnerException, IOException {
        return run(benchmark, method, Map.of(), arms, forksPerArm);
    }

    /** As {@link #run(Class, String, List, int)}, with values for the benchmark's {@code @Param} fields. */
    Scores run(Class<?> benchmark, String method, Map<String, String> params, List<Arm> arms, int forksPerArm)
            throws RunnerException, IOException {
        Scores scores = new Scores();
        Map<String, List<Double>> forkScores = new LinkedHashMap<>();
        Map<String, List<Double>> iterationScores = new LinkedHashMap<>();
        for (Arm a : arms) {
            forkScores.put(a.name, new ArrayList<>());
            iterationScores.put(a.name, new ArrayList<>());
        }
        Path logs = env.workDir.resolve("jmh");
        Files.createDirectories(logs);
        for (int round = 0; round < forksPerArm; round++) {
            List<Arm> order = new ArrayList<>(arms);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Arm arm : order) {
                Path log = logs.resolve(benchmark.getSimpleName() + "." + method + "." + slug(arm.name) + "." + (round + 1)
                        + ".log");
                List<String> append = new ArrayList<>(arm.jvmArgs);
                boolean ownExpectation = false;
                for (String a : arm.jvmArgs) {
                    ownExpectation |= a.startsWith("-D" + AgentPresence.EXPECT_AGENT + "=");
                }
                if (!ownExpectation) {
                    append.add("-D" + AgentPresence.EXPECT_AGENT + "=" + arm.withAgent);
                }
                OptionsBuilder builder = new OptionsBuilder();
                params.forEach(builder::param);
                Options options = builder
                        .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
                        .forks(1)
                        .warmupIterations(settings.jmhWarmupIterations)
                        .warmupTime(TimeValue.milliseconds(settings.jmhIterationMillis))
                        .measurementIterations(settings.jmhIterations)
                        .measurementTime(TimeValue.milliseconds(settings.jmhIterationMillis))
                        .timeout(TimeValue.seconds(120))
                        .jvm(jvm.toString())
                        .jvmArgs(commonJvmArgs().toArray(new String[0]))
                        .jvmArgsAppend(append.toArray(new String[0]))
                        .shouldFailOnError(true)
                        .output(log.toString())
                        .build();
                long t0 = System.nanoTime();
                Collection<RunResult> results;
                try {
                    results = new Runner(options).run();
                } catch (RunnerException e) {
                    throw new RunnerException(method + ", " + arm.name + ", fork " + (round + 1) + " failed: "
                            + failureIn(log) + " (log: " + log + ")", e);
                }
                for (RunResult r : results) {
                    double score = r.getPrimaryResult().getScore();
                    scores.unit = r.getPrimaryResult().getScoreUnit();
                    forkScores.get(arm.name).add(score);
                    r.getBenchmarkResults().forEach(br -> {
                        for (IterationResult ir : br.getIterationResults()) {
                            iterationScores.get(arm.name).add(ir.getPrimaryResult().getScore());
                        }
                    });
                    progress.detail(String.format(Locale.ROOT, "%s, %s, fork %d/%d: %.4g %s (%.0f s)", method, arm.name,
                            round + 1, forksPerArm, score, scores.unit,
                            (System.nanoTime() - t0) / (double) TimeUnit.SECONDS.toNanos(1)));
                }
            }
        }
        for (Arm a : arms) {
            scores.forks.put(a.name, Samples.of(forkScores.get(a.name)));
            scores.byRound.put(a.name, forkScores.get(a.name));
            scores.iterations.put(a.name, Samples.of(iterationScores.get(a.name)));
        }
        return scores;
    }

    /** {@code s} as one word of a POSIX shell, whatever it holds (a checkout folder may hold a quote). */
    static String shellQuoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The first lines of the fork's exception, from its log. */
    private static String failureIn(Path log) {
        try {
            String text = Processes.read(log);
            int at = text.indexOf("<failure>");
            if (at >= 0) {
                String rest = text.substring(at + "<failure>".length()).strip();
                String[] lines = rest.split("\n");
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < Math.min(3, lines.length); i++) {
                    sb.append(i > 0 ? " / " : "").append(lines[i].strip());
                }
                return sb.toString();
            }
            return Processes.tail(text);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
