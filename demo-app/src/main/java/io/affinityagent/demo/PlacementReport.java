package io.affinityagent.demo;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import io.affinityagent.placement.PlanExplanation;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where every pool worker may run, as /proc says, beside what the config promised it: the
 * worker's rule and whether its mask is one the rule hands out, both in the words of the
 * agent's own {@link PlanExplanation} (a CPU of the rule, a core for per-core, all of them for
 * shared). A round-robin rule's workers must also be spread one per CPU; a worker no rule
 * matches must have the whole process's CPUs.
 */
final class PlacementReport {

    private final PlanExplanation plan;
    private final CpuSet processCpus;
    private final ProcFs proc;
    private final long pid;

    PlacementReport(AgentConfig config, CpuSet processCpus, ProcFs proc, long pid) {
        this.plan = new PlanExplanation(config);
        this.processCpus = processCpus;
        this.proc = proc;
        this.pid = pid;
    }

    /** Prints the table; returns how many workers (and rules) are not where the config put them. */
    int print(List<PoolWorker> workers, PrintStream out) {
        out.printf("%-34s %8s %-8s %-10s %-10s %s%n", "WORKER", "TID", "RULE", "PROMISED", "/PROC", "OK");
        int wrong = 0;
        Map<Rule, Map<Integer, Integer>> roundRobinLoads = new LinkedHashMap<>();
        for (PoolWorker w : workers) {
            Rule rule = plan.ruleOf(w.name, w.kind, w.poolClass);
            CpuSet promised = rule == null ? processCpus : rule.cpus();
            CpuSet actual;
            try {
                actual = proc.threadAllowedCpus(pid, w.tid);
            } catch (IOException e) {
                out.printf("%-34s %8d %-8s %-10s %-10s %s%n", w.name, w.tid, name(rule), promised, "gone", "NO");
                wrong++;
                continue;
            }
            boolean ok = rule == null ? actual.equals(processCpus) : plan.hands(rule, actual);
            if (ok && rule != null && rule.strategy() == Strategy.ROUND_ROBIN) {
                roundRobinLoads.computeIfAbsent(rule, r -> new LinkedHashMap<>()).merge(actual.first(), 1, Integer::sum);
            }
            wrong += ok ? 0 : 1;
            out.printf("%-34s %8d %-8s %-10s %-10s %s%n", w.name, w.tid, name(rule), promised, actual, ok ? "yes" : "NO");
        }
        for (Map.Entry<Rule, Map<Integer, Integer>> e : roundRobinLoads.entrySet()) {
            if (!isSpread(e.getKey().cpus(), e.getValue())) {
                out.println("NO: rule " + e.getKey().name() + " put its workers on CPUs " + e.getKey().cpus() + " as "
                        + e.getValue() + " (CPU=workers): round-robin spreads them one per CPU");
                wrong++;
            }
        }
        return wrong;
    }

    /** Round-robin: the busiest and the idlest CPU of the rule differ by at most one worker. */
    static boolean isSpread(CpuSet ruleCpus, Map<Integer, Integer> workersPerCpu) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int cpu : ruleCpus.toArray()) {
            int n = workersPerCpu.getOrDefault(cpu, 0);
            min = Math.min(min, n);
            max = Math.max(max, n);
        }
        return max - min <= 1;
    }

    private static String name(Rule rule) {
        return rule == null ? "-" : rule.name();
    }
}
