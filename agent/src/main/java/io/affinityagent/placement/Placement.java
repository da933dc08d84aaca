package io.affinityagent.placement;

import io.affinityagent.config.Strategy;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.util.List;

/**
 * Which CPUs a new worker of one rule gets. Pure logic: no OS calls, no clock, so it is tested
 * with made-up CPU sets of any size. Implementations are thread-safe; their methods are short
 * and never call the kernel, so holding their lock never waits on a system call.
 */
public interface Placement {

    /** Takes a slot for a starting worker. */
    Slot acquire();

    /**
     * Takes a slot whose every CPU is in {@code within} (the CPUs this JVM may take: for an
     * exclusive rule, those no other process holds); null when no slot is.
     */
    Slot acquire(CpuSet within);

    /** Gives back a slot taken by {@link #acquire()} (a worker exited). */
    void release(Slot slot);

    /** How many live workers each slot has, in slot order. */
    int[] loads();

    /** The mask of each slot, in slot order. */
    List<CpuSet> slotMasks();

    /** Live workers holding a slot. */
    default int workerCount() {
        int n = 0;
        for (int l : loads()) {
            n += l;
        }
        return n;
    }

    /** A placement that needs no topology (round-robin, shared); the others see each CPU as a core. */
    static Placement forStrategy(Strategy strategy, CpuSet cpus) {
        return forStrategy(strategy, cpus, null);
    }

    /** @param topology the layout of {@code cpus}; may be null for round-robin and shared */
    static Placement forStrategy(Strategy strategy, CpuSet cpus, CpuTopology topology) {
        if (topology == null && strategy.usesTopology()) {
            topology = CpuTopology.flat(cpus, "no topology");
        }
        switch (strategy) {
            case ROUND_ROBIN:
                return RoundRobinPlacement.onePerCpu(cpus);
            case SHARED:
                return new SharedPlacement(cpus);
            case SPREAD:
                return TopologyPlacement.spread(cpus, topology);
            case COMPACT:
                return TopologyPlacement.compact(cpus, topology);
            case PER_CORE:
                return TopologyPlacement.perCore(cpus, topology);
            default:
                throw new IllegalArgumentException("no placement for " + strategy);
        }
    }
}
