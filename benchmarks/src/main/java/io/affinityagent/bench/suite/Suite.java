package io.affinityagent.bench.suite;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs every benchmark, each with the agent against without it in the same run, and writes the
 * figures into RESULTS.md. Started by benchmarks/run-all.sh, which builds what it needs and
 * passes the paths.
 *
 * <pre>
 * Suite [--quick] [--only ID[,ID...]] [--out FILE]     (--quick writes to the work folder unless --out says)
 *   IDs: task-path, worker-start, pin-call, startup, attach, benefit
 * </pre>
 * Exit status: 0 when every benchmark ran (whether or not it met its target), 1 when one failed,
 * 2 on a usage error.
 */
public final class Suite {

    static final List<String> IDS = List.of("task-path", "worker-start", "pin-call", "startup", "attach", "benefit");

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>(IDS);
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    quick = true;
                    break;
                case "--only":
                    if (i + 1 >= args.length) {
                        usage("--only needs a list of benchmarks");
                    }
                    only.clear();
                    for (String id : args[++i].split(",")) {
                        if (!IDS.contains(id.trim())) {
                            usage("unknown benchmark '" + id + "'");
                        }
                        only.add(id.trim());
                    }
                    break;
                case "--out":
                    if (i + 1 >= args.length) {
                        usage("--out needs a file");
                    }
                    out = Paths.get(args[++i]);
                    break;
                default:
                    usage("unknown option " + args[i]);
            }
        }
        Settings settings = quick ? Settings.quick() : Settings.full();
        Environment env = new Environment();
        if (out == null) {
            // A smoke run measures nothing: it must not replace the tracked figures.
            out = quick ? env.workDir.resolve("RESULTS-quick.md")
                    : Paths.get(System.getProperty("affinity.bench.results", "RESULTS.md"));
        }
        Progress progress = new Progress();
        List<String> machine = env.describeMachine();
        progress.step("affinity-agent benchmarks" + (quick ? " (--quick: a smoke run, not a measurement)" : ""));
        for (String l : machine) {
            progress.detail(l.substring(2));
        }
        if (Environment.loadAverage1() > 0.5) {
            progress.detail("warning: the machine is busy (load average " + Environment.loadAverage()
                    + "); figures will be noisy");
        }
        long start = System.nanoTime();
        List<Section> sections = new ArrayList<>();
        boolean failed = false;
        for (String id : only) {
            Section s;
            try {
                s = run(id, env, settings, progress, sections);
            } catch (Exception | AssertionError e) {
                s = new Section(number(id), id).failed(e.getMessage() == null ? e.toString() : e.getMessage());
                progress.detail("FAILED: " + e);
            }
            if (s != null) {
                for (Section.Verdict v : s.verdicts) {
                    failed |= v.status == Section.Status.FAILED;
                }
                s.finish();
                sections.add(s);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Report.write(out, Report.render(env, settings, machine, sections, Environment.loadAverage(), seconds));
        progress.step("summary (written to " + out + "):");
        for (Section s : sections) {
            for (Section.Verdict v : s.verdicts) {
                progress.detail(s.number + ". " + v.figure + ": " + v.value + (v.target.equals("—") ? "" : " (target "
                        + v.target + ")") + " " + v.status);
            }
        }
        System.exit(failed ? 1 : 0);
    }

    private static Section run(String id, Environment env, Settings settings, Progress progress, List<Section> done)
            throws Exception {
        switch (id) {
            case "task-path":
                return TaskPathRun.run(env, settings, progress);
            case "worker-start":
                Section jmh = WorkerStartRun.run(env, settings, progress);
                jmh.finish();
                done.add(jmh);
                return WorkerChurnRun.run(env, settings, progress);
            case "pin-call":
                return PinCallRun.run(env, settings, progress);
            case "startup":
                if (env.secondJdk != null) {
                    Section first = StartupRun.run(env, settings, progress, env.jdk, "3");
                    first.finish();
                    done.add(first);
                    return StartupRun.run(env, settings, progress, env.secondJdk, "3b");
                }
                return StartupRun.run(env, settings, progress, env.jdk, "3");
            case "attach":
                return AttachRun.run(env, settings, progress);
            case "benefit":
                return BenefitRun.run(env, settings, progress);
            default:
                throw new IllegalArgumentException(id);
        }
    }

    private static String number(String id) {
        switch (id) {
            case "task-path": return "1";
            case "worker-start": return "2";
            case "pin-call": return "2b";
            case "startup": return "3";
            case "attach": return "4";
            default: return "5";
        }
    }

    private static void usage(String problem) {
        System.err.println("error: " + problem);
        System.err.println("usage: benchmarks/run-all.sh [--quick] [--only " + String.join(",", IDS) + "] [--out FILE]");
        System.exit(2);
    }
}
