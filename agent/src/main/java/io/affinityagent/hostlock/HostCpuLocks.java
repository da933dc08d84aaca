package io.affinityagent.hostlock;

import io.affinityagent.cpu.CpuSet;
import java.nio.file.Path;

/**
 * CPUs locked host-wide for {@code exclusive = true} rules: one lock file per CPU
 * ({@code cpu-N.lock}), the same files as OpenHFT's {@code AffinityLock}, so that neither another
 * JVM running the agent nor OpenHFT-based code takes a CPU this JVM holds, and this JVM never takes
 * one of theirs. The kernel drops the locks of a process that dies, even by kill -9; a file left
 * behind blocks nothing.
 *
 * <p>Counted per CPU: several workers of this JVM may share a CPU (more workers than CPUs), and
 * the lock goes only when the last of them gives the CPU back.
 */
public interface HostCpuLocks {

    /** The folder the lock files are in. */
    Path directory();

    /**
     * Takes {@code cpu} for one more worker of this JVM: true when this JVM holds it now (taken
     * now, or held already), false when another process holds it or it cannot be locked.
     *
     * @param holder what the lock file says beside this JVM's pid, e.g. {@code rule=orders}
     */
    boolean acquire(int cpu, String holder);

    /** One worker gives {@code cpu} back; the lock goes with the last one. Nothing when not held here. */
    void release(int cpu);

    /**
     * The CPUs of {@code candidates} that this JVM could take now: those it holds and those no
     * other process holds. What placement asks before it gives an exclusive rule's worker a CPU.
     */
    CpuSet available(CpuSet candidates);

    /** The CPUs this JVM holds. */
    CpuSet heldHere();

    /** Every lock of this JVM released (detach). */
    void releaseAll();

    /** A problem with the folder a user should hear about (see {@link LockDirectory}), or null. */
    String directoryProblem();
}
