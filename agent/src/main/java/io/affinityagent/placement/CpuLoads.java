package io.affinityagent.placement;

import io.affinityagent.cpu.CpuSet;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * How many workers of the rules that overlap hold each CPU, counted as they are placed and
 * given back: the value through which a rule's placement sees where the other rules' workers
 * are (it takes its own count off). One per plan, shared by the placements of the rules whose
 * CPUs overlap another's; a counter per CPU, so a placement reads it without taking another
 * rule's lock.
 */
public final class CpuLoads {

    private final AtomicIntegerArray held;

    /** Counts for every CPU of {@code cpus} (the union of the overlapping rules' CPUs). */
    public CpuLoads(CpuSet cpus) {
        this.held = new AtomicIntegerArray(cpus.isEmpty() ? 0 : last(cpus) + 1);
    }

    /** Workers of any of the rules holding {@code cpu} (0 for a CPU no rule has). */
    public int of(int cpu) {
        return cpu < held.length() ? held.get(cpu) : 0;
    }

    void add(int[] cpus, int delta) {
        for (int cpu : cpus) {
            if (cpu < held.length()) {
                held.addAndGet(cpu, delta);
            }
        }
    }

    private static int last(CpuSet cpus) {
        int[] all = cpus.toArray();
        return all[all.length - 1];
    }
}
