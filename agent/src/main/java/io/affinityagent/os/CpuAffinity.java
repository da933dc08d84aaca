package io.affinityagent.os;

import io.affinityagent.cpu.CpuSet;

/**
 * The only door to the kernel's CPU-affinity calls. Chosen once per process
 * ({@link CpuAffinities#load(Class)}): Linux, or an honest "unsupported" that pins nothing and says
 * why. Callers never branch on the OS.
 */
public interface CpuAffinity {

    /** False when this platform cannot pin; {@link #unsupportedReason()} says why. */
    boolean isSupported();

    String unsupportedReason();

    /** Pins the calling thread (sched_setaffinity on tid 0). */
    void setCurrentThread(CpuSet mask) throws AffinityException;

    CpuSet getCurrentThread() throws AffinityException;

    /** Pins another thread of this process by its native id. */
    void setThread(int nativeThreadId, CpuSet mask) throws AffinityException;

    CpuSet getThread(int nativeThreadId) throws AffinityException;

    /** The calling thread's native id (Linux tid), or -1 when unknown. */
    int currentThreadId();
}
