package io.affinityagent.placement;

import io.affinityagent.cpu.CpuSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What the placements with one slot per CPU (or core) share: the slots, each one's load, and
 * when each was last freed, which is what lets a replacement land where its predecessor was.
 * Subclasses choose the slot in {@link #acquire()} by {@link #weigh()} and take it with
 * {@link #take(int)}; they keep any further loads of their own in {@link #taken(int)} and
 * {@link #freed(int)}.
 *
 * <p>A placement whose rule overlaps others is given the plan's {@link CpuLoads}
 * ({@link #countWith}): a slot then weighs its own workers first and the other rules' workers on
 * the CPUs it watches (its own, or its whole core) next, so among the rule's least-loaded slots a
 * worker goes where the others left room, and to the least crowded one when there is none.
 */
abstract class SlottedPlacement implements Placement {

    final Slot[] slots;
    final int[] load;
    /** When each slot was last freed (a logical clock), 0 once it is taken again. */
    final long[] freedAt;
    private long clock;
    /**
     * Each slot's weight, filled by {@link #weigh()} under this placement's lock: its own workers
     * in the high half, the other rules' workers on it in the low half, so a rule keeps its own
     * workers balanced and among its least-loaded slots goes where the others are not.
     */
    final long[] weight;
    /** The overlapping rules' counts; null when no other rule shares this one's CPUs. */
    private CpuLoads shared;
    /** Per slot: its CPUs, counted in {@link #shared} as it is taken and freed. */
    private int[][] slotCpus;
    /** Per slot: the CPUs whose other workers it weighs; and per such CPU, the slot of ours on it (-1: none). */
    private int[][] watched;
    private int[][] watchedOwnSlot;

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
        weight = new long[slots.length];
    }

    /**
     * Counts this placement's workers in {@code loads} and weighs each slot with the other rules'
     * workers on the CPUs {@code watch} gives for it (the slot's own CPUs, or its whole core).
     * Called once, before the placement hands out a slot.
     */
    final void countWith(CpuLoads loads, IntFunction<CpuSet> watch) {
        int n = slots.length;
        Map<Integer, Integer> slotOfCpu = new HashMap<>();
        slotCpus = new int[n][];
        for (int i = 0; i < n; i++) {
            slotCpus[i] = slots[i].mask().toArray();
            for (int cpu : slotCpus[i]) {
                slotOfCpu.put(cpu, i);
            }
        }
        watched = new int[n][];
        watchedOwnSlot = new int[n][];
        for (int i = 0; i < n; i++) {
            watched[i] = watch.apply(i).union(slots[i].mask()).toArray();
            watchedOwnSlot[i] = new int[watched[i].length];
            for (int k = 0; k < watched[i].length; k++) {
                watchedOwnSlot[i][k] = slotOfCpu.getOrDefault(watched[i][k], -1);
            }
        }
        shared = loads;
    }

    /**
     * Fills {@link #weight}: each slot's own workers, then, when rules overlap, the most other
     * rules' workers on any CPU it watches. Called under this placement's lock.
     */
    final void weigh() {
        for (int i = 0; i < slots.length; i++) {
            weight[i] = ((long) load[i] << 32) | (shared == null ? 0 : others(i));
        }
    }

    /** Other rules' workers on slot i's busiest watched CPU: the shared count less our own there. */
    private int others(int i) {
        int most = 0;
        for (int k = 0; k < watched[i].length; k++) {
            int own = watchedOwnSlot[i][k] < 0 ? 0 : load[watchedOwnSlot[i][k]];
            most = Math.max(most, shared.of(watched[i][k]) - own);
        }
        return most;
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
        if (shared != null) {
            shared.add(slotCpus[i], 1);
        }
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
        if (shared != null) {
            shared.add(slotCpus[i], -1);
        }
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
