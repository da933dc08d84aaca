package io.affinityagent.placement;

import io.affinityagent.cpu.CpuSet;
import java.util.ArrayList;
import java.util.List;

/**
 * What the placements with one slot per CPU (or core) share: the slots, each one's load, and
 * when each was last freed, which is what lets a replacement land where its predecessor was.
 * Subclasses choose the slot in {@link #acquire()} and take it with {@link #take(int)}; they
 * keep any further loads of their own in {@link #taken(int)} and {@link #freed(int)}.
 */
abstract class SlottedPlacement implements Placement {

    final Slot[] slots;
    final int[] load;
    /** When each slot was last freed (a logical clock), 0 once it is taken again. */
    final long[] freedAt;
    private long clock;

    SlottedPlacement(List<CpuSet> slotMasks) {
        if (slotMasks.isEmpty()) {
            throw new IllegalArgumentException("a placement needs at least one slot");
        }
        slots = new Slot[slotMasks.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i, slotMasks.get(i));
        }
        load = new int[slots.length];
        freedAt = new long[slots.length];
    }

    @Override
    public final Slot acquire() {
        return acquire(null);
    }

    /** Whether slot {@code i} may be taken: every CPU of it is in {@code within} (null: any slot). */
    final boolean allowed(int i, CpuSet within) {
        return within == null || slots[i].mask().minus(within).isEmpty();
    }

    /** Gives slot {@code i} to a starting worker; called under this placement's lock. */
    final Slot take(int i) {
        load[i]++;
        freedAt[i] = 0;
        taken(i);
        return slots[i];
    }

    /** Slot {@code i} was just taken (under this placement's lock). */
    void taken(int i) {
    }

    /** Slot {@code i} was just freed (under this placement's lock). */
    void freed(int i) {
    }

    @Override
    public final synchronized void release(Slot slot) {
        int i = slot.index();
        if (i < 0 || i >= slots.length || slots[i] != slot) {
            throw new IllegalArgumentException(slot + " does not belong to this placement");
        }
        if (load[i] == 0) {
            throw new IllegalStateException(slot + " released more often than acquired");
        }
        load[i]--;
        freedAt[i] = ++clock;
        freed(i);
    }

    @Override
    public final synchronized int[] loads() {
        return load.clone();
    }

    @Override
    public final List<CpuSet> slotMasks() {
        List<CpuSet> masks = new ArrayList<>(slots.length);
        for (Slot s : slots) {
            masks.add(s.mask());
        }
        return masks;
    }
}
