package io.affinityagent.placement;

import io.affinityagent.cpu.CpuSet;
import java.util.List;

/** {@code shared}: every worker may run on any CPU of the rule; only the count is kept. */
public final class SharedPlacement implements Placement {

    private final Slot slot;
    private int load;

    public SharedPlacement(CpuSet cpus) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("a placement needs at least one CPU");
        }
        this.slot = new Slot(0, cpus);
    }

    @Override
    public Slot acquire() {
        return acquire(null);
    }

    @Override
    public synchronized Slot acquire(CpuSet within) {
        if (within != null && !slot.mask().minus(within).isEmpty()) {
            return null;
        }
        load++;
        return slot;
    }

    @Override
    public synchronized void release(Slot s) {
        if (s != slot) {
            throw new IllegalArgumentException(s + " does not belong to this placement");
        }
        if (load == 0) {
            throw new IllegalStateException(s + " released more often than acquired");
        }
        load--;
    }

    @Override
    public synchronized int[] loads() {
        return new int[] {load};
    }

    @Override
    public List<CpuSet> slotMasks() {
        return List.of(slot.mask());
    }
}
