package io.affinityagent.hostlock;

import io.affinityagent.cpu.CpuSet;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;

/**
 * Host-wide locks in memory, for placement and engine tests: {@link #elsewhere} are the CPUs
 * other processes hold; {@link #refuseOnce} makes the next lock of a CPU fail as if another
 * process took it between the look and the lock.
 */
public final class FakeHostLocks implements HostCpuLocks {

    public final Set<Integer> elsewhere = new HashSet<>();
    public final Set<Integer> refuseOnce = new HashSet<>();
    private final int[] held = new int[64];

    @Override
    public Path directory() {
        return Paths.get("/fake");
    }

    @Override
    public synchronized boolean acquire(int cpu, String holder) {
        if (refuseOnce.remove(cpu)) {
            elsewhere.add(cpu);
            return false;
        }
        if (held[cpu] == 0 && elsewhere.contains(cpu)) {
            return false;
        }
        held[cpu]++;
        return true;
    }

    @Override
    public synchronized void release(int cpu) {
        if (held[cpu] > 0) {
            held[cpu]--;
        }
    }

    @Override
    public synchronized CpuSet available(CpuSet candidates) {
        CpuSet.Builder b = CpuSet.builder();
        for (int cpu : candidates.toArray()) {
            if (held[cpu] > 0 || !elsewhere.contains(cpu)) {
                b.add(cpu);
            }
        }
        return b.build();
    }

    /** How many workers of this JVM hold the CPU. */
    public synchronized int count(int cpu) {
        return held[cpu];
    }

    @Override
    public synchronized CpuSet heldHere() {
        CpuSet.Builder b = CpuSet.builder();
        for (int cpu = 0; cpu < held.length; cpu++) {
            if (held[cpu] > 0) {
                b.add(cpu);
            }
        }
        return b.build();
    }

    @Override
    public synchronized void releaseAll() {
        java.util.Arrays.fill(held, 0);
    }

    @Override
    public String directoryProblem() {
        return null;
    }
}
