package io.affinityagent.bench.suite;

import io.affinityagent.bench.attach.AttachTarget;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * 4. From running {@code java -jar affinity-agent.jar attach <pid> --config <file>} to every
 * live worker of the running JVM pinned as the config says, read from /proc. Each round attaches
 * to a fresh {@link AttachTarget}. Skipped, with the command's own answer, when the jar has no
 * attach command yet.
 */
final class AttachRun {

    static final double TARGET_SECONDS = 0.5;
    /** The command's summary: "pinned 1 running thread of rule orders, 2 of rule fj in 303 ms; new threads ...". */
    private static final Pattern AGENT_MILLIS = Pattern.compile(" in (\\d+) ms; new threads");
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** What a jar without the attach command answers (the placeholder, or a command-line parser). */
    private static final Pattern NO_ATTACH = Pattern.compile(
            "(?i)not built yet|unknown (sub)?command|unmatched argument|no such command|usage:");

    private AttachRun() {
    }

    /** One round's outcome. */
    private static final class Round {
        double pinnedSeconds = Double.NaN;
        double commandSeconds = Double.NaN;
        int commandStatus = Integer.MIN_VALUE;
        String commandOutput = "";
        List<String> notPinned = new ArrayList<>();
        double agentSeconds = Double.NaN;
    }

    static Section run(Environment env, Settings settings, Progress progress) throws Exception {
        Section section = new Section("4", "Attach: from running `attach` to every live worker pinned");
        Path config = env.config("attach.properties");
        section.text("A JVM started without the agent (`" + AttachTarget.class.getName() + "`: an order pool of 1 worker, a"
                + " batch pool and a ForkJoinPool of " + env.processCpus.size() + " workers each, all alive and parked"
                + " in a task). The clock starts just before `java -jar affinity-agent.jar attach <pid> --config"
                + " benchmarks/configs/attach.properties` is launched and stops when /proc shows every worker on its"
                + " CPUs (polled every 2 ms): the command line's JVM start, the attach, the agent's start in the target,"
                + " and the re-pinning of running workers. " + settings.attachRounds + " rounds, a fresh target each.");
        section.blank();
        if (env.processCpus.size() < 2) {
            return section.skipped("needs 2 or more CPUs: every worker must move for the pins to be seen");
        }
        List<Double> pinned = new ArrayList<>();
        List<Double> command = new ArrayList<>();
        List<Double> agent = new ArrayList<>();
        List<Double> beforeAgent = new ArrayList<>();
        for (int i = 0; i < settings.attachRounds; i++) {
            progress.step("attach: round " + (i + 1) + " of " + settings.attachRounds);
            Round r = round(env, config, i);
            if (!r.notPinned.isEmpty()) {
                if (r.commandStatus != 0 && r.commandStatus != Integer.MIN_VALUE
                        && NO_ATTACH.matcher(r.commandOutput).find()) {
                    progress.detail("skipped: this agent jar has no attach command yet");
                    return section.skipped("this agent jar has no `attach` command yet (it comes with the command line,"
                            + " issue 3). `java -jar " + env.agentJar.getFileName() + " attach <pid> --config <file>`"
                            + " answered (exit " + r.commandStatus + "): `" + oneLine(r.commandOutput) + "`. Once it"
                            + " exists, `benchmarks/run-all.sh --only attach` measures it.");
                }
                return section.failed("round " + (i + 1) + ": not every worker was pinned within "
                        + GIVE_UP_NANOS / 1_000_000_000 + " s; not pinned: " + r.notPinned + "; the attach command "
                        + (r.commandStatus == Integer.MIN_VALUE ? "had not exited" : "exited " + r.commandStatus)
                        + ", output: `" + oneLine(r.commandOutput) + "`");
            }
            pinned.add(r.pinnedSeconds);
            if (!Double.isNaN(r.commandSeconds)) {
                command.add(r.commandSeconds);
            }
            if (!Double.isNaN(r.agentSeconds)) {
                agent.add(r.agentSeconds);
                beforeAgent.add(r.pinnedSeconds - r.agentSeconds);
            }
            progress.detail(String.format(Locale.ROOT, "every worker pinned after %.3f s; the command exited after %.3f s",
                    r.pinnedSeconds, r.commandSeconds));
        }
        Samples p = Samples.of(pinned);
        Samples c = Samples.of(command);
        section.table(List.of("from launching `attach` to", "seconds"), List.of(
                List.of("every live worker pinned (/proc)", p.describe("%.3f")),
                List.of("the command's exit", c.describe("%.3f"))));
        if (!agent.isEmpty()) {
            section.text("Split by the agent's own clock (the time it reports for the request, from its `agentmain` to"
                    + " the running workers pinned: its classes, the config, the JNI helper, hooking the pool classes, the"
                    + " thread dump and the pins), and the rest before it: the command's JVM start, checking the target and"
                    + " the config, the attach handshake and the JVM loading the agent's jar.");
            section.blank();
            section.table(List.of("part", "seconds"), List.of(
                    List.of("launch to the agent's `agentmain` (the command line, the handshake, the load)",
                            Samples.of(beforeAgent).describe("%.3f")),
                    List.of("the agent in the JVM, to every running worker pinned", Samples.of(agent).describe("%.3f"))));
        }
        section.target("Attach: seconds to every live worker pinned (median)", p.median(), "%.3f", true, TARGET_SECONDS);
        if (p.max() > TARGET_SECONDS) {
            section.text(String.format(Locale.ROOT, "The slowest round took %.3f s.", p.max()));
            section.blank();
        }
        return section;
    }

    private static Round round(Environment env, Path config, int index) throws Exception {
        Round r = new Round();
        List<String> targetCmd = List.of(env.jdk.java().toString(), "-cp", env.benchClasses.toString(),
                AttachTarget.class.getName(), Integer.toString(env.processCpus.size()));
        Path dir = env.workDir.resolve("attach");
        java.nio.file.Files.createDirectories(dir);
        // The target's stderr (where JDK 21+ warns about an agent loaded at run time) goes to a file.
        Process target = new ProcessBuilder(targetCmd)
                .redirectError(dir.resolve("target-" + index + ".err").toFile()).start();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(target.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = in.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // the target ended
                }
            }, "attach-target-stdout");
            reader.setDaemon(true);
            reader.start();
            Map<String, Integer> workers = new LinkedHashMap<>();
            long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                String l = lines.poll(Math.max(1, readyBy - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (l == null) {
                    throw new IllegalStateException("the attach target did not get ready: " + workers);
                }
                if (l.startsWith("WORKER ")) {
                    String[] f = l.split(" ");
                    workers.put(f[1], Integer.parseInt(f[2]));
                } else if (l.startsWith("READY ")) {
                    break;
                } else if (l.startsWith("ERROR")) {
                    throw new IllegalStateException("the attach target failed: " + l);
                }
            }
            long pid = target.pid();
            CpuSet first = CpuSet.of(env.processCpus.first());
            CpuSet others = env.processCpus.minus(first);

            Path out = dir.resolve("attach-" + index + ".out");
            List<String> attachCmd = List.of(env.jdk.java().toString(), "-jar", env.agentJar.toString(), "attach",
                    Long.toString(pid), "--config", config.toString());
            long t0 = System.nanoTime();
            Process attach = new ProcessBuilder(attachCmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Processes.nullDevice())).start();
            ProcFs proc = ProcFs.system();
            while (true) {
                long now = System.nanoTime();
                if (Double.isNaN(r.commandSeconds) && !attach.isAlive()) {
                    r.commandSeconds = (now - t0) / 1e9;
                    r.commandStatus = attach.exitValue();
                }
                List<String> wrong = notPinned(proc, pid, workers, first, others);
                if (wrong.isEmpty()) {
                    r.pinnedSeconds = (now - t0) / 1e9;
                    r.notPinned = wrong;
                    break;
                }
                boolean failedCommand = !Double.isNaN(r.commandSeconds) && r.commandStatus != 0;
                if (now - t0 > GIVE_UP_NANOS || (failedCommand && now - t0 > TimeUnit.SECONDS.toNanos(1)
                        + (long) (r.commandSeconds * 1e9))) {
                    r.notPinned = wrong;
                    break;
                }
                Thread.sleep(2);
            }
            if (Double.isNaN(r.commandSeconds)) {
                if (attach.waitFor(30, TimeUnit.SECONDS)) {
                    r.commandSeconds = (System.nanoTime() - t0) / 1e9;
                    r.commandStatus = attach.exitValue();
                } else {
                    attach.destroyForcibly();
                }
            }
            r.commandOutput = Processes.read(out);
            java.util.regex.Matcher m = AGENT_MILLIS.matcher(r.commandOutput);
            if (m.find()) {
                r.agentSeconds = Integer.parseInt(m.group(1)) / 1000.0;
            }
            return r;
        } finally {
            try (OutputStream stdin = target.getOutputStream()) {
                stdin.write('\n');
            } catch (IOException ignored) {
                // already gone
            }
            if (!target.waitFor(10, TimeUnit.SECONDS)) {
                target.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The workers /proc does not (yet) show where attach.properties puts them. */
    private static List<String> notPinned(ProcFs proc, long pid, Map<String, Integer> workers, CpuSet first,
                                          CpuSet others) {
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Integer> w : workers.entrySet()) {
            CpuSet actual;
            try {
                actual = proc.threadAllowedCpus(pid, w.getValue());
            } catch (IOException e) {
                wrong.add(w.getKey() + " (gone)");
                continue;
            }
            boolean ok = w.getKey().startsWith("order-") ? actual.equals(first)
                    : actual.size() == 1 && others.containsAll(actual);
            if (!ok) {
                wrong.add(w.getKey() + " on " + actual);
            }
        }
        return wrong;
    }

    private static String oneLine(String s) {
        String t = s.strip().replace('\n', ' ').replace('`', '\'');
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }
}
