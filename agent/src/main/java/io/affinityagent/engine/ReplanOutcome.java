package io.affinityagent.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.affinityagent.registry.RuleCounts;

/**
 * What one re-plan (or detach) did to the threads that were running: per rule and in all, how
 * many were pinned, kept where they were, released (given the process's CPUs back) and failed;
 * the matched threads left alone for want of a native id; and the problems met on the way, one
 * sentence each.
 */
public final class ReplanOutcome {

    /** The running counts of one rule (for released threads, the rule that had placed them). */
    static final class Tally {
        private final String rule;
        int pinned;
        int kept;
        int released;
        int failed;
        int held;

        Tally(String rule) {
            this.rule = rule;
        }
    }

    private final ReplanReason reason;
    private final Map<String, Tally> byRule = new LinkedHashMap<>();
    private final List<String> unmapped = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<ThreadFacts> seen = new ArrayList<>();

    ReplanOutcome(ReplanReason reason) {
        this.reason = reason;
    }

    public ReplanReason reason() {
        return reason;
    }

    /** The counts per rule, in the order the rules were first met. */
    public Map<String, RuleCounts> byRule() {
        Map<String, RuleCounts> out = new LinkedHashMap<>();
        for (Tally t : byRule.values()) {
            out.put(t.rule, new RuleCounts(t.rule, t.pinned, t.kept, t.released, t.failed));
        }
        return Collections.unmodifiableMap(out);
    }

    public int pinned() {
        return sum(t -> t.pinned);
    }

    public int kept() {
        return sum(t -> t.kept);
    }

    public int released() {
        return sum(t -> t.released);
    }

    public int failed() {
        return sum(t -> t.failed);
    }

    /** Matched by an exclusive rule whose every CPU another process holds: left unpinned (when-held wait or unpinned). */
    public int held() {
        return sum(t -> t.held);
    }

    private int sum(java.util.function.ToIntFunction<Tally> count) {
        int n = 0;
        for (Tally t : byRule.values()) {
            n += count.applyAsInt(t);
        }
        return n;
    }

    /** Names of running threads a rule matched but whose native id the agent could not find. */
    public List<String> unmapped() {
        return Collections.unmodifiableList(unmapped);
    }

    /** One line per failed pin: the thread and why. */
    public List<String> failures() {
        return Collections.unmodifiableList(failures);
    }

    /** What stopped part of the sweep (discovery, the thread dump), one sentence each. */
    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    /** Every thread the sweep looked at (running, or held from an earlier plan), as its rules saw it. */
    public List<ThreadFacts> seen() {
        return Collections.unmodifiableList(seen);
    }

    void saw(ThreadFacts facts) {
        seen.add(facts);
    }

    Tally of(String rule) {
        Tally c = byRule.get(rule);
        if (c == null) {
            c = new Tally(rule);
            byRule.put(rule, c);
        }
        return c;
    }

    void unmapped(String threadName) {
        unmapped.add(threadName);
    }

    void failure(String line) {
        failures.add(line);
    }

    void problem(String sentence) {
        problems.add(sentence);
    }
}
