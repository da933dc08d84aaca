package io.affinityagent.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * What one attach, re-attach or detach did to the threads of one rule, as the agent publishes it
 * in its reply ({@link Reply#BY_RULE}, one line per rule) and as the command line and the agent's
 * log say it: {@code pinned 10 running threads of rule web, 3 of rule loops}.
 */
public final class RuleCounts {

    private final String rule;
    private final int pinned;
    private final int kept;
    private final int released;
    private final int failed;

    public RuleCounts(String rule, int pinned, int kept, int released, int failed) {
        this.rule = rule;
        this.pinned = pinned;
        this.kept = kept;
        this.released = released;
        this.failed = failed;
    }

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

    /** The reply's line: {@code RULE PINNED KEPT RELEASED FAILED} (rule names have no spaces). */
    String line() {
        return rule + " " + pinned + " " + kept + " " + released + " " + failed;
    }

    /** The reply's field back into counts; lines that do not parse are skipped. */
    public static List<RuleCounts> parse(String field) {
        List<RuleCounts> out = new ArrayList<>();
        if (field == null || field.isEmpty()) {
            return out;
        }
        for (String line : field.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length != 5) {
                continue;
            }
            try {
                out.add(new RuleCounts(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                        Integer.parseInt(f[4])));
            } catch (NumberFormatException e) {
                // not a line of ours
            }
        }
        return out;
    }

    /** {@code pinned 10 running threads of rule web, 3 of rule loops}, or {@code pinned no running thread}. */
    public static String pinned(String verb, List<RuleCounts> rules) {
        return verb + " " + perRule(rules, true, "running thread");
    }

    /** {@code 10 threads of rule web, 3 of rule loops}, or {@code no thread}. */
    public static String released(List<RuleCounts> rules) {
        return perRule(rules, false, "thread");
    }

    private static String perRule(List<RuleCounts> rules, boolean pinned, String noun) {
        StringBuilder sb = new StringBuilder();
        for (RuleCounts c : rules) {
            int n = pinned ? c.pinned : c.released;
            if (n == 0) {
                continue;
            }
            if (sb.length() == 0) {
                sb.append(n).append(' ').append(noun).append(n == 1 ? "" : "s").append(" of rule ").append(c.rule);
            } else {
                sb.append(", ").append(n).append(" of rule ").append(c.rule);
            }
        }
        return sb.length() == 0 ? "no " + noun : sb.toString();
    }
}
