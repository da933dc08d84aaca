package io.affinityagent.cpuset;

import io.affinityagent.cpu.CpuSet;

/** Where the watch reads the process's allowed CPUs from; called on the watch's own thread. */
public interface AllowedCpusSource {

    CpuSet read() throws Exception;
}
