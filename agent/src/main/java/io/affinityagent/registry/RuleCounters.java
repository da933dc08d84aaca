package io.affinityagent.registry;

import java.util.concurrent.atomic.AtomicLong;

/** What happened under one rule since the agent started: for status, tests and soak runs. */
public final class RuleCounters {

    private final String rule;
    final AtomicLong matched = new AtomicLong();
    final AtomicLong pinned = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong exited = new AtomicLong();

    RuleCounters(String rule) {
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }

    /** Workers that started and matched the rule. */
    public long matched() {
        return matched.get();
    }

    /** Workers whose mask the kernel accepted. */
    public long pinned() {
        return pinned.get();
    }

    /** Workers left unpinned because the kernel (or the platform) refused. */
    public long failed() {
        return failed.get();
    }

    /** Workers that exited and gave their slot back. */
    public long exited() {
        return exited.get();
    }

    @Override
    public String toString() {
        return rule + ": matched=" + matched() + " pinned=" + pinned() + " failed=" + failed() + " exited=" + exited();
    }
}
