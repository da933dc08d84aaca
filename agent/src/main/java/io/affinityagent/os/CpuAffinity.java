package io.affinityagent.os;

import io.affinityagent.cpu.CpuSet;

/**
 * The only door to the kernel's CPU-affinity calls. Chosen once per process
 * ({@link CpuAffinities#load(Class)}): the agent's native helper (x86-64, aarch64), OpenHFT's
 * JNA binding (any other Linux CPU, or where the helper cannot load), or an honest "unsupported"
 * that pins nothing and says why. Callers never branch on the OS or the backend.
 */
public interface CpuAffinity {

    /** False when this platform cannot pin; {@link #unsupportedReason()} says why. */
    boolean isSupported();

    String unsupportedReason();

    /**
     * What pins, for the user: {@code native helper linux-aarch64}, {@code OpenHFT/JNA
     * (linux-ppc64le)}, or {@code none}.
     */
    default String backendName() {
        return isSupported() ? getClass().getSimpleName() : "none";
    }

    /** Why this backend rather than the agent's native helper, or null when it is the helper. */
    default String backendNote() {
        return null;
    }

    /**
     * The class whose native methods this backend's helper library backs (bootstrap.NativeCalls,
     * or the agent's copy in java.base), which also switches on the JVM's thread-start event
     * (jdk.ThreadStartWatch); null when this backend is no native helper.
     */
    default Class<?> nativeCalls() {
        return null;
    }

    /** Pins the calling thread (sched_setaffinity on tid 0). */
    void setCurrentThread(CpuSet mask) throws AffinityException;

    /**
     * Pins the calling thread and returns its native id (-1 when unknown): what a new worker
     * needs, in one call where the backend can (the native helper's, with a mask of up to 64
     * CPUs passed as one word).
     */
    default int pinCurrentThread(CpuSet mask) throws AffinityException {
        setCurrentThread(mask);
        return currentThreadId();
    }

    CpuSet getCurrentThread() throws AffinityException;

    /** Pins another thread of this process by its native id. */
    void setThread(int nativeThreadId, CpuSet mask) throws AffinityException;

    CpuSet getThread(int nativeThreadId) throws AffinityException;

    /** The calling thread's native id (Linux tid), or -1 when unknown. */
    int currentThreadId();
}
