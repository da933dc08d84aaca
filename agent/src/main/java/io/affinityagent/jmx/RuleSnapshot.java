package io.affinityagent.jmx;

import javax.management.ConstructorParameters;

/** One rule of the plan: what it matches, its CPUs and strategy, the workers on each slot, its counters. */
public final class RuleSnapshot {

    private final String name;
    private final String selectors;
    private final String cpus;
    private final String strategy;
    private final int[] loads;
    private final long matched;
    private final long pinned;
    private final long failed;
    private final long exited;

    /**
     * @param selectors "thread-name=order-* pool=thread-pool"
     * @param loads     the workers on each slot (CPU, or core for per-core) of the rule, in the strategy's order
     */
    @ConstructorParameters({"name", "selectors", "cpus", "strategy", "loads", "matched", "pinned", "failed", "exited"})
    public RuleSnapshot(String name, String selectors, String cpus, String strategy, int[] loads, long matched,
                        long pinned, long failed, long exited) {
        this.name = name;
        this.selectors = selectors;
        this.cpus = cpus;
        this.strategy = strategy;
        this.loads = loads.clone();
        this.matched = matched;
        this.pinned = pinned;
        this.failed = failed;
        this.exited = exited;
    }

    public String getName() {
        return name;
    }

    public String getSelectors() {
        return selectors;
    }

    public String getCpus() {
        return cpus;
    }

    public String getStrategy() {
        return strategy;
    }

    public int[] getLoads() {
        return loads.clone();
    }

    /** The workers on its slots now. */
    public int getWorkers() {
        int n = 0;
        for (int l : loads) {
            n += l;
        }
        return n;
    }

    public long getMatched() {
        return matched;
    }

    public long getPinned() {
        return pinned;
    }

    public long getFailed() {
        return failed;
    }

    public long getExited() {
        return exited;
    }
}
