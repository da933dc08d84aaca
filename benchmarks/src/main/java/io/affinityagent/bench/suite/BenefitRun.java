package io.affinityagent.bench.suite;

import io.affinityagent.demo.LatencySummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * 5. The demo's workload, unpinned then pinned (alternating which goes first), several rounds:
 * the order pool's latency percentiles from each request's due time, and the batch pool's
 * throughput, which pays for the order pool's dedicated CPU.
 */
final class BenefitRun {

    static final double TARGET_RATIO = 0.5;

    private BenefitRun() {
    }

    static Section run(Environment env, Settings settings, Progress progress) throws Exception {
        Section section = new Section("5", "Benefit: the demo's latency-critical pool under a noisy neighbour");
        section.text(String.format(Locale.ROOT, "`./demo.sh`'s workload (`io.affinityagent.demo.DemoApp`): 5,000 order"
                        + " requests/s, a few µs of work each, latency from the moment each request was due (no coordinated"
                        + " omission), beside a CPU-bound batch pool of one worker per CPU and the CPU-bound common pool."
                        + " Unpinned: no agent. Pinned: the agent with `demo-app/affinity.properties` (order pool alone on"
                        + " the first CPU, batch and common pool on the others; the run checks that placement and fails"
                        + " otherwise). %d round(s), each running both arms (%.1f s warm-up, %.1f s measured), the first"
                        + " arm alternating.", settings.benefitRounds, settings.benefitWarmupSeconds,
                settings.benefitSeconds));
        section.blank();
        List<LatencySummary> unpinned = new ArrayList<>();
        List<LatencySummary> pinned = new ArrayList<>();
        Path dir = env.workDir.resolve("benefit");
        for (int round = 0; round < settings.benefitRounds; round++) {
            progress.step("benefit: round " + (round + 1) + " of " + settings.benefitRounds);
            boolean pinnedFirst = round % 2 == 1;
            for (int k = 0; k < 2; k++) {
                boolean pin = (k == 0) == pinnedFirst;
                LatencySummary s = demo(env, settings, dir, pin, round);
                (pin ? pinned : unpinned).add(s);
                progress.detail(String.format(Locale.ROOT, "%s: p50 %.1f µs, p99 %.1f µs, p99.9 %.1f µs, max %.1f µs",
                        s.label(), s.p50Micros(), s.p99Micros(), s.p999Micros(), s.maxMicros()));
            }
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("p50, µs", unpinned, pinned, LatencySummary::p50Micros, "%.1f"));
        rows.add(row("p99, µs", unpinned, pinned, LatencySummary::p99Micros, "%.1f"));
        rows.add(row("p99.9, µs", unpinned, pinned, LatencySummary::p999Micros, "%.1f"));
        rows.add(row("max, µs", unpinned, pinned, LatencySummary::maxMicros, "%.1f"));
        rows.add(row("order work alone (service time p50), µs", unpinned, pinned, LatencySummary::serviceP50Micros, "%.2f"));
        rows.add(row("batch pool work, M units/s", unpinned, pinned, s -> s.batchUnitsPerSecond() / 1e6, "%.2f"));
        rows.add(List.of("machine load average (1 min) at the end of the run",
                samples(unpinned, LatencySummary::loadAverage).describe("%.2f"),
                samples(pinned, LatencySummary::loadAverage).describe("%.2f"), "—"));
        section.table(List.of("figure (per run)", "unpinned", "pinned", "pinned/unpinned (medians)"), rows);
        double ratio = samples(pinned, LatencySummary::p99Micros).median()
                / samples(unpinned, LatencySummary::p99Micros).median();
        section.target("Benefit: order p99 pinned/unpinned", ratio, "%.3f", true, TARGET_RATIO);
        section.text("The batch pool and the common pool give up the order pool's CPU: on N CPUs they share N−1 instead"
                + " of N, so the batch pool gets less done pinned. That is the price of the latency, by design. And a"
                + " pinned pool cannot leave its CPU: another process running there (a load average well above 0 on a"
                + " quiet machine's figures says there was one) delays it where an unpinned one would have moved.");
        section.blank();
        return section;
    }

    private static LatencySummary demo(Environment env, Settings settings, Path dir, boolean pin, int round)
            throws Exception {
        String label = pin ? "pinned" : "unpinned";
        Path saved = dir.resolve(label + "-" + round + ".properties");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.deleteIfExists(saved);
        List<String> cmd = new ArrayList<>();
        cmd.add(env.jdk.java().toString());
        if (pin) {
            cmd.add("-javaagent:" + env.agentJar + "=config=" + env.demoConfig);
        }
        cmd.addAll(List.of("-cp", env.demoClasspath, "io.affinityagent.demo.DemoApp", "--label", label, "--save",
                saved.toString(), "--warmup-seconds", Double.toString(settings.benefitWarmupSeconds), "--seconds",
                Double.toString(settings.benefitSeconds)));
        if (pin) {
            cmd.addAll(List.of("--check", env.demoConfig.toString()));
        }
        long timeout = (long) (settings.benefitWarmupSeconds + settings.benefitSeconds) + 60;
        Processes.Finished f = Processes.run(cmd, dir, label + "-" + round, timeout);
        if (f.status != 0) {
            throw new IllegalStateException("the demo's " + label + " run failed (" + (f.status == 1
                    ? "a worker was not where the config put it" : "status " + f.status) + "): " + f.describe());
        }
        return LatencySummary.load(saved);
    }

    private static Samples samples(List<LatencySummary> runs, ToDoubleFunction<LatencySummary> f) {
        List<Double> v = new ArrayList<>();
        for (LatencySummary s : runs) {
            v.add(f.applyAsDouble(s));
        }
        return Samples.of(v);
    }

    private static List<String> row(String name, List<LatencySummary> unpinned, List<LatencySummary> pinned,
                                    ToDoubleFunction<LatencySummary> f, String format) {
        Samples u = samples(unpinned, f);
        Samples p = samples(pinned, f);
        return List.of(name, u.describe(format), p.describe(format), String.format(Locale.ROOT, "%.3f", p.median() / u.median()));
    }
}
