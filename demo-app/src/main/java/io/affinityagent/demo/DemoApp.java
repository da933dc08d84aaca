package io.affinityagent.demo;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.ConfigProblem;
import io.affinityagent.config.CpuContext;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The demo: a latency-critical order pool beside a CPU-bound batch pool and the common pool
 * ({@link NoisyNeighbourWorkload}). Run it once without the agent and once with it; the second
 * run prints where every worker sits against the config, and both runs' latency side by side.
 * {@code ./demo.sh} does both.
 *
 * <pre>
 * DemoApp [--check CONFIG] [--label NAME] [--save FILE] [--baseline FILE]
 *         [--warmup-seconds S] [--seconds S] [--rate N] [--work-iterations N]
 *
 *   --check CONFIG     print every pool worker's CPUs from /proc beside what CONFIG promised it
 *                      (run with the agent and the same CONFIG); exit 1 if one is not where
 *                      CONFIG put it
 *   --label NAME       this run's row in the latency table (default: pinned with --check, else unpinned)
 *   --save FILE        write this run's figures to FILE (read back by --baseline and the benchmarks)
 *   --baseline FILE    print the figures saved in FILE as the first row
 *   --warmup-seconds S warm-up before measuring (default 1)
 *   --seconds S        measured time (default 5)
 *   --rate N           order requests per second (default 5000)
 *   --work-iterations N  arithmetic per request (default 1500, a few microseconds)
 * </pre>
 * Exit status: 0, or 1 when a worker is not where the config put it, or 2 when the demo cannot
 * run here (usage, a bad config, fewer than 2 CPUs, no /proc).
 */
public final class DemoApp {

    static final int MISPLACED = 1;
    static final int CANNOT_RUN = 2;

    private DemoApp() {
    }

    static final class Options {
        static final java.util.List<String> OPTIONS = java.util.List.of("--check", "--label", "--save", "--baseline",
                "--warmup-seconds", "--seconds", "--rate", "--work-iterations");
        Path check;
        String label;
        Path save;
        Path baseline;
        double warmupSeconds = 1;
        double seconds = 5;
        int rate = 5000;
        int workIterations = 1500;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!OPTIONS.contains(a)) {
                    throw new IllegalArgumentException("unknown option " + a);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--check": o.check = Paths.get(v); break;
                    case "--label": o.label = v; break;
                    case "--save": o.save = Paths.get(v); break;
                    case "--baseline": o.baseline = Paths.get(v); break;
                    case "--warmup-seconds": o.warmupSeconds = positive(a, Double.parseDouble(v), true); break;
                    case "--seconds": o.seconds = positive(a, Double.parseDouble(v), false); break;
                    case "--rate": o.rate = (int) positive(a, Integer.parseInt(v), false); break;
                    case "--work-iterations": o.workIterations = (int) positive(a, Integer.parseInt(v), true); break;
                    default: throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.label == null) {
                o.label = o.check != null ? "pinned" : "unpinned";
            }
            return o;
        }

        private static double positive(String option, double v, boolean zeroAllowed) {
            if (v < 0 || (v == 0 && !zeroAllowed) || Double.isNaN(v)) {
                throw new IllegalArgumentException(option + " must be " + (zeroAllowed ? "0 or more" : "more than 0"));
            }
            return v;
        }
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("usage error: " + e.getMessage());
            out.println("usage: DemoApp [--check CONFIG] [--label NAME] [--save FILE] [--baseline FILE]"
                    + " [--warmup-seconds S] [--seconds S] [--rate N] [--work-iterations N]");
            return CANNOT_RUN;
        }
        ProcFs proc = ProcFs.system();
        if (!proc.isAvailable()) {
            out.println("The demo reads where threads run from /proc, and affinity-agent pins with sched_setaffinity:"
                    + " both are Linux only. This is " + System.getProperty("os.name") + "; nothing to demonstrate here.");
            return CANNOT_RUN;
        }
        long pid = proc.selfPid();
        CpuSet processCpus = proc.processAllowedCpus(pid);
        if (processCpus.size() < 2) {
            out.println("This process may use only CPU " + processCpus + ". The demo's plan needs 2 or more CPUs: one"
                    + " for the order pool alone, the others for the batch pool and the common pool.");
            return CANNOT_RUN;
        }
        AgentConfig config = null;
        if (o.check != null) {
            ConfigLoader.Result result = ConfigLoader.load(o.check, CpuContext.of(processCpus), ConfigLoader.Overrides.NONE);
            for (ConfigProblem p : result.problems()) {
                out.println("config: " + p);
            }
            if (!result.ok()) {
                return CANNOT_RUN;
            }
            config = result.config();
        }
        LatencySummary baseline = o.baseline == null ? null : LatencySummary.load(o.baseline);

        NoisyNeighbourWorkload workload = new NoisyNeighbourWorkload(o.rate, o.workIterations, processCpus.size());
        out.printf(Locale.ROOT, "Workload: %,d order requests/s (%d iterations of arithmetic each) in order-1, fed by"
                        + " order-feed-1, beside a batch pool of %d CPU-bound workers and the common pool (parallelism"
                        + " %d, CPU-bound too); %.1f s warm-up, %.1f s measured. This process may use CPUs %s.%n",
                o.rate, o.workIterations, workload.batchWorkers(), workload.expectedWorkers() - 2 - workload.batchWorkers(),
                o.warmupSeconds, o.seconds, processCpus);
        int[] misplaced = {0};
        AgentConfig checked = config;
        LatencySummary summary = workload.run(o.label, seconds(o.warmupSeconds), seconds(o.seconds), () -> {
            if (checked != null) {
                out.println();
                out.println("Where every pool worker may run (Cpus_allowed_list of /proc/" + pid + "/task/TID/status),"
                        + " against " + o.check + ":");
                PlacementReport report = new PlacementReport(checked, processCpus, proc, pid);
                awaitPlacement(report, workload.workers());
                misplaced[0] = report.print(workload.workers(), out);
                out.println(misplaced[0] == 0 ? "Every worker is where the config put it."
                        : misplaced[0] + " NOT where the config put them.");
                out.println();
            }
        });
        if (o.save != null) {
            summary.save(o.save);
        }
        printLatency(out, baseline, summary);
        return misplaced[0] == 0 ? 0 : MISPLACED;
    }

    static void printLatency(PrintStream out, LatencySummary baseline, LatencySummary run) {
        out.println("Order latency, microseconds from the moment each request was due to its completion:");
        out.printf(Locale.ROOT, "%-10s %9s %9s %9s %9s %9s %14s%n", "", "p50", "p99", "p99.9", "max", "requests",
                "batch units/s");
        if (baseline != null) {
            row(out, baseline);
        }
        row(out, run);
        if (baseline != null && baseline.p99Micros() > 0) {
            out.printf(Locale.ROOT, "p99 %s/%s: %.3f; p99.9 %s/%s: %.3f; batch work %s/%s: %.2f%n",
                    run.label(), baseline.label(), run.p99Micros() / baseline.p99Micros(),
                    run.label(), baseline.label(), run.p999Micros() / Math.max(1e-9, baseline.p999Micros()),
                    run.label(), baseline.label(), run.batchUnitsPerSecond() / Math.max(1e-9, baseline.batchUnitsPerSecond()));
        }
        out.printf(Locale.ROOT, "(each request's own work took %.1f us at the median; the request feed sleeps between"
                + " requests, and Linux wakes a sleeping thread up to 50 us late (timer slack), which sets the floor"
                + " of p50)%n", run.serviceP50Micros());
        double load = Math.max(run.loadAverage(), baseline == null ? Double.NaN : baseline.loadAverage());
        if (baseline != null && run.p99Micros() > baseline.p99Micros()) {
            out.printf(Locale.ROOT, "The %s run's p99 is worse. A pinned pool cannot leave its CPU, so whatever else runs"
                    + " there delays it: the machine's load average was %.2f, so other processes were busy. Pinning pays"
                    + " off when the CPU is the pool's alone (an exclusive cpuset, isolcpus, Kubernetes' static CPU"
                    + " manager); run the demo again on a quiet machine.%n", run.label(), load);
        } else if (load > 0.5) {
            out.printf(Locale.ROOT, "(the machine's load average was %.2f: other processes were busy, and these figures"
                    + " include them)%n", load);
        }
    }

    private static void row(PrintStream out, LatencySummary s) {
        out.printf(Locale.ROOT, "%-10s %9.1f %9.1f %9.1f %9.1f %9d %14.3g%n", s.label(), s.p50Micros(), s.p99Micros(),
                s.p999Micros(), s.maxMicros(), s.requests(), s.batchUnitsPerSecond());
    }

    /**
     * The agent starts beside the application (on a thread of its own) and places the workers
     * that started before its plan was ready a moment later: up to 3 s for every worker to be
     * where the config puts it, before the report says where they are.
     */
    private static void awaitPlacement(PlacementReport report, List<PoolWorker> workers) {
        PrintStream nowhere = new PrintStream(java.io.OutputStream.nullOutputStream());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (report.print(workers, nowhere) > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long seconds(double s) {
        return (long) (s * TimeUnit.SECONDS.toNanos(1));
    }
}
