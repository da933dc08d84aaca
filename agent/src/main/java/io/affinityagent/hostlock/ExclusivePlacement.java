package io.affinityagent.hostlock;

import io.affinityagent.config.Rule;
import io.affinityagent.config.WhenHeld;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.placement.Placement;
import io.affinityagent.placement.Slot;
import java.util.List;

/**
 * The placement of an {@code exclusive = true} rule: its own strategy's placement, given only the
 * CPUs this JVM can lock host-wide, and each slot it hands out locked before the worker is pinned.
 * Slots are given back, and their locks with the last worker on them, as workers exit, at a
 * re-plan (the new plan's slot is taken before the old one goes, so a CPU kept stays locked) and
 * at detach.
 *
 * <p>When every CPU of the rule is held elsewhere, {@code when-held} decides: {@code share} takes a
 * slot anyway, without a lock; {@code wait} and {@code unpinned} take none ({@link #acquire()}
 * returns null) and the engine leaves the worker unpinned, to try again for {@code wait}.
 *
 * <p>The lock files are looked at outside the inner placement's lock: that lock is held only for
 * choosing a slot, never across file I/O.
 */
public final class ExclusivePlacement implements Placement {

    private final Placement inner;
    private final HostCpuLocks locks;
    private final Rule rule;
    private final String holder;
    /** Per slot: workers placed on it without a lock ({@code share}); given back before locked ones. */
    private final int[] unlocked;

    public ExclusivePlacement(Placement inner, HostCpuLocks locks, Rule rule) {
        this.inner = inner;
        this.locks = locks;
        this.rule = rule;
        this.holder = "rule=" + rule.name();
        this.unlocked = new int[inner.slotMasks().size()];
    }

    public Rule rule() {
        return rule;
    }

    public HostCpuLocks locks() {
        return locks;
    }

    /** A slot locked host-wide; for {@code share} an unlocked one when all are held; else null. */
    @Override
    public Slot acquire() {
        CpuSet free = locks.available(rule.cpus());
        // Another process may take a CPU between the look and the lock: then try the others.
        for (int attempt = 0; attempt <= unlocked.length && !free.isEmpty(); attempt++) {
            Slot s = inner.acquire(free);
            if (s == null) {
                break;
            }
            if (lockAll(s.mask())) {
                return s;
            }
            inner.release(s);
            free = free.minus(s.mask());
        }
        if (rule.whenHeld() != WhenHeld.SHARE) {
            return null;
        }
        Slot s = inner.acquire();
        synchronized (unlocked) {
            unlocked[s.index()]++;
        }
        return s;
    }

    @Override
    public Slot acquire(CpuSet within) {
        throw new UnsupportedOperationException("an exclusive rule chooses its CPUs from the lock files");
    }

    @Override
    public void release(Slot slot) {
        inner.release(slot);
        synchronized (unlocked) {
            if (unlocked[slot.index()] > 0) {
                // Which worker went is not known: an unlocked one first, so the lock stays while any remains.
                unlocked[slot.index()]--;
                return;
            }
        }
        CpuSet mask = slot.mask();
        for (int cpu = mask.first(); cpu >= 0; cpu = mask.next(cpu + 1)) {
            locks.release(cpu);
        }
    }

    private boolean lockAll(CpuSet mask) {
        for (int cpu = mask.first(); cpu >= 0; cpu = mask.next(cpu + 1)) {
            if (!locks.acquire(cpu, holder)) {
                for (int c = mask.first(); c >= 0 && c < cpu; c = mask.next(c + 1)) {
                    locks.release(c);
                }
                return false;
            }
        }
        return true;
    }

    @Override
    public int[] loads() {
        return inner.loads();
    }

    @Override
    public List<CpuSet> slotMasks() {
        return inner.slotMasks();
    }
}
