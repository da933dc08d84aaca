package io.affinityagent.os;

import io.affinityagent.config.CpuContext;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.io.IOException;

/**
 * This process on this machine: its allowed CPUs, and their layout read from sysfs the first
 * time a rule needs it (a config without topology-aware rules never reads it). If sysfs cannot
 * be read, every CPU counts as a core of its own and {@link #topologyProblem()} says why.
 */
public final class MachineCpuContext implements CpuContext {

    private final CpuSet allowed;
    private SysfsTopology sysfs;
    private CpuTopology topology;
    private String problem;

    /** This process's CPUs on this machine (sysfs at /sys/devices/system, loaded only if needed). */
    public MachineCpuContext(CpuSet allowed) {
        this(allowed, null);
    }

    public MachineCpuContext(CpuSet allowed, SysfsTopology sysfs) {
        this.allowed = allowed;
        this.sysfs = sysfs;
    }

    @Override
    public CpuSet allowed() {
        return allowed;
    }

    @Override
    public synchronized CpuTopology topology() {
        if (topology == null) {
            try {
                if (sysfs == null) {
                    sysfs = SysfsTopology.system();
                }
                topology = sysfs.read(allowed);
            } catch (IOException | RuntimeException e) {
                problem = "cannot read the CPU topology (" + e.getMessage() + ")";
                topology = CpuTopology.flat(allowed, "unknown topology");
            }
        }
        return topology;
    }

    @Override
    public synchronized String topologyProblem() {
        topology();
        return problem;
    }
}
