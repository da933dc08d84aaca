package io.affinityagent.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one re-plan (or detach) did to the threads that were running: per rule and in all, how
 * many were pinned, kept where they were, released (given the process's CPUs back) and failed;
 * the matched threads left alone for want of a native id; and the problems met on the way, one
 * sentence each.
 */
public final class ReplanOutcome {

    /** The counts of one rule (for released threads, the rule that had placed them). */
    public static final class RuleCounts {
        private final String rule;
        int pinned;
        int kept;
        int released;
        int failed;
        int held;

        RuleCounts(String rule) {
            this.rule = rule;
        }

        /** The rule's name; null for {@link ReplanOutcome#total()}. */
        public String rule() {
            return rule;
        }

        public int pinned() {
            return pinned;
        }

        public int kept() {
            return kept;
        }

        public int released() {
            return released;
        }

        public int failed() {
            return failed;
        }

        /** Matched by an exclusive rule whose every CPU another process holds: left unpinned (when-held wait or unpinned). */
        public int held() {
            return held;
        }
    }

    private final ReplanReason reason;
    private final Map<String, RuleCounts> byRule = new LinkedHashMap<>();
    private final List<String> unmapped = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    ReplanOutcome(ReplanReason reason) {
        this.reason = reason;
    }

    public ReplanReason reason() {
        return reason;
    }

    /** The counts per rule, in the order the rules were first met. */
    public Map<String, RuleCounts> byRule() {
        return Collections.unmodifiableMap(byRule);
    }

    /** The counts over every rule. */
    public RuleCounts total() {
        RuleCounts all = new RuleCounts(null);
        for (RuleCounts c : byRule.values()) {
            all.pinned += c.pinned;
            all.kept += c.kept;
            all.released += c.released;
            all.failed += c.failed;
            all.held += c.held;
        }
        return all;
    }

    public int pinned() {
        return total().pinned;
    }

    public int kept() {
        return total().kept;
    }

    public int released() {
        return total().released;
    }

    public int failed() {
        return total().failed;
    }

    public int held() {
        return total().held;
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

    RuleCounts of(String rule) {
        RuleCounts c = byRule.get(rule);
        if (c == null) {
            c = new RuleCounts(rule);
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
