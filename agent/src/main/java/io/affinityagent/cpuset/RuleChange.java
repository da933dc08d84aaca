package io.affinityagent.cpuset;

import io.affinityagent.cpu.CpuSet;

/** What a cpuset change did to one rule's CPUs: before, after, and whether it was left with none of its own. */
public final class RuleChange {

    private final String rule;
    private final CpuSet before;
    private final CpuSet after;
    private final String noCpuReason;

    /**
     * @param noCpuReason null when the rule still has CPUs of its own; else why it has none, and
     *                    {@code after} is the process's new CPUs
     */
    public RuleChange(String rule, CpuSet before, CpuSet after, String noCpuReason) {
        this.rule = rule;
        this.before = before;
        this.after = after;
        this.noCpuReason = noCpuReason;
    }

    public String rule() {
        return rule;
    }

    public CpuSet before() {
        return before;
    }

    /** The rule's CPUs now; the process's CPUs when {@link #hasNoCpuLeft()}. */
    public CpuSet after() {
        return after;
    }

    /** True when none of the CPUs the rule names is left: its workers get the process's new CPUs. */
    public boolean hasNoCpuLeft() {
        return noCpuReason != null;
    }

    /** Why the rule has no CPU left (the resolver's words), or null. */
    public String noCpuReason() {
        return noCpuReason;
    }

    public boolean changed() {
        return noCpuReason != null || !before.equals(after);
    }

    public CpuSet lost() {
        return before.minus(after);
    }

    public CpuSet gained() {
        return after.minus(before);
    }

    @Override
    public String toString() {
        return rule + ": " + before + " -> " + after + (noCpuReason != null ? " (no CPU left: " + noCpuReason + ")" : "");
    }
}
