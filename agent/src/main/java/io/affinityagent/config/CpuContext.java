package io.affinityagent.config;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;

/**
 * What a CPU list is resolved against: the CPUs this process may use, and how they are laid
 * out (sockets, NUMA nodes, cores). The layout may be read on first use, so callers ask for it
 * only when a rule needs it.
 */
public interface CpuContext {

    /** The process's allowed CPUs at start (its cpuset in a container). */
    CpuSet allowed();

    /** The layout of at least the allowed CPUs. */
    CpuTopology topology();

    /** Why {@link #topology()} is made up rather than read, or null when it was read. */
    default String topologyProblem() {
        return null;
    }

    /** The allowed CPUs with no known layout (each a core of its own, made only if asked for). */
    static CpuContext of(CpuSet allowed) {
        return new CpuContext() {
            @Override
            public CpuSet allowed() {
                return allowed;
            }

            @Override
            public CpuTopology topology() {
                return CpuTopology.flat(allowed, "no topology");
            }
        };
    }

    static CpuContext of(CpuSet allowed, CpuTopology topology) {
        return new CpuContext() {
            @Override
            public CpuSet allowed() {
                return allowed;
            }

            @Override
            public CpuTopology topology() {
                return topology;
            }
        };
    }
}
