package io.affinityagent.placement;

import io.affinityagent.cpu.CpuSet;

/** A place a worker is given: its index in the placement and the mask to pin it to. */
public final class Slot {

    private final int index;
    private final CpuSet mask;

    public Slot(int index, CpuSet mask) {
        this.index = index;
        this.mask = mask;
    }

    public int index() {
        return index;
    }

    public CpuSet mask() {
        return mask;
    }

    @Override
    public String toString() {
        return "slot " + index + " (CPUs " + mask + ")";
    }
}
