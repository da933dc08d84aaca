package io.affinityagent.placement;

import io.affinityagent.cpu.CpuSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands out slots (one CPU each for {@code round-robin}) so that loads stay balanced:
 * a new worker takes the least-loaded slot; among equally loaded slots it takes the one freed
 * most recently, else the next one in round-robin order. So a replacement lands on the CPU its
 * predecessor gave back, N workers on N CPUs stay one per CPU however many are replaced, and
 * several pools matched by one rule spread over its CPUs instead of piling on the first.
 */
public final class RoundRobinPlacement extends SlottedPlacement {

    /** The slot after the last one handed out in round-robin order. */
    private int cursor;

    public RoundRobinPlacement(List<CpuSet> slotMasks) {
        super(slotMasks);
    }

    /** One slot per CPU, in ascending CPU order. */
    public static RoundRobinPlacement onePerCpu(CpuSet cpus) {
        List<CpuSet> masks = new ArrayList<>(cpus.size());
        for (int cpu : cpus.toArray()) {
            masks.add(CpuSet.of(cpu));
        }
        return new RoundRobinPlacement(masks);
    }

    @Override
    public synchronized Slot acquire(CpuSet within) {
        weigh();
        long min = Long.MAX_VALUE;
        for (int i = 0; i < slots.length; i++) {
            if (allowed(i, within)) {
                min = Math.min(min, weight[i]);
            }
        }
        if (min == Long.MAX_VALUE) {
            return null;
        }
        int chosen = -1;
        long newestFree = 0;
        for (int i = 0; i < slots.length; i++) {
            if (weight[i] == min && freedAt[i] > newestFree && allowed(i, within)) {
                newestFree = freedAt[i];
                chosen = i;
            }
        }
        if (chosen < 0) {
            for (int k = 0; k < slots.length; k++) {
                int i = (cursor + k) % slots.length;
                if (weight[i] == min && allowed(i, within)) {
                    chosen = i;
                    break;
                }
            }
            cursor = (chosen + 1) % slots.length;
        }
        return take(chosen);
    }
}
