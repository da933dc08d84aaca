package io.affinityagent.config;

import io.affinityagent.cpu.CpuSet;

/** What a CPU list is resolved against: the CPUs this process may use. */
public interface CpuContext {

    /** The process's allowed CPUs at start (its cpuset in a container). */
    CpuSet allowed();

    static CpuContext of(CpuSet allowed) {
        return new CpuContext() {
            @Override
            public CpuSet allowed() {
                return allowed;
            }
        };
    }
}
