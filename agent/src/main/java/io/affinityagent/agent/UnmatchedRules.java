package io.affinityagent.agent;

import io.affinityagent.advice.RuleAdvisor;
import io.affinityagent.advice.SeenThread;
import io.affinityagent.advice.ThreadKind;
import io.affinityagent.config.Rule;
import io.affinityagent.engine.ThreadFacts;
import io.affinityagent.registry.WorkerRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * One line per rule that takes no thread, from the threads the agent sees (a sweep's, or the
 * running ones): the rule, the nearest thread names with what each is, and the likely fix, as
 * {@code check --pid} says it ({@link RuleAdvisor}). Said at attach, and for a JVM started with
 * the agent at the first read of its status, once the application has started its threads.
 */
final class UnmatchedRules {

    private UnmatchedRules() {
    }

    /**
     * @param registry when not null, a rule that has matched a thread since the plan began (one that
     *                 has ended since included) is not reported
     */
    static List<String> lines(List<Rule> rules, List<ThreadFacts> threads, WorkerRegistry registry) {
        List<SeenThread> seen = new ArrayList<>(threads.size());
        for (ThreadFacts f : threads) {
            Object pool = f.pool();
            seen.add(new SeenThread(f.name(), ThreadKind.of(f.kind()), pool == null ? null : pool.getClass().getName(),
                    true));
        }
        List<String> out = new ArrayList<>();
        for (RuleAdvisor.RuleReport report : RuleAdvisor.advise(rules, seen)) {
            if (!report.matched().isEmpty() || !report.maybe().isEmpty()
                    || (registry != null && registry.counters(report.rule().name()).matched() > 0)) {
                continue;
            }
            List<String> explained = report.explain();
            StringBuilder line = new StringBuilder(explained.get(0));
            // Nearest names help a glob; for a rule of no name they would be any thread at all.
            int hints = report.rule().threadName() == null && report.rule().poolClass() == null ? 1 : explained.size();
            if (hints == 1 && line.toString().endsWith("; nearest:")) {
                line.setLength(line.length() - "; nearest:".length());
            }
            for (int i = 1; i < hints; i++) {
                line.append(i == 1 ? " " : "; ").append(explained.get(i).trim());
            }
            out.add(line.toString());
        }
        return out;
    }
}
