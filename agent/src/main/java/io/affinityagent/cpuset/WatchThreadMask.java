package io.affinityagent.cpuset;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;

/**
 * The process's allowed CPUs, read as the mask of the watch's own thread: a thread the agent
 * never pins and that never asks the kernel for a mask of its own, so the kernel keeps it equal
 * to the process's cpuset (intersected with a mask the process was started with, such as
 * {@code taskset}'s): it resets or clips it whenever the cpuset changes, grows or shrinks. One
 * {@code sched_getaffinity} per look, no file; {@code /proc/thread-self/status} where the JNI
 * helper is not loaded. Not the main thread's mask ({@code /proc/self/status}): the application
 * may pin its main thread, and the main thread may have ended.
 */
public final class WatchThreadMask implements AllowedCpusSource {

    private final CpuAffinity affinity;
    private final ProcFs proc;

    public WatchThreadMask(CpuAffinity affinity, ProcFs proc) {
        this.affinity = affinity;
        this.proc = proc;
    }

    @Override
    public CpuSet read() throws Exception {
        if (affinity != null && affinity.isSupported()) {
            return affinity.getCurrentThread();
        }
        int tid = proc.currentThreadId();
        return proc.threadAllowedCpus(proc.selfPid(), tid);
    }
}
