package io.affinityagent.hostlock;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.config.WhenHeld;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.placement.Placement;
import io.affinityagent.placement.Slot;
import org.junit.jupiter.api.Test;

/** An exclusive rule's placement: only CPUs no other process holds, each locked before it is handed out. */
class ExclusivePlacementTest {

    private final FakeHostLocks locks = new FakeHostLocks();

    private ExclusivePlacement placement(String cpus, Strategy strategy, WhenHeld whenHeld) {
        CpuSet set = cpus.equals("0-3") ? CpuSet.range(0, 3) : CpuSet.range(0, 1);
        Rule rule = new Rule("orders", new ThreadNameGlob("order-*"), null, null, null, set, strategy, false, true, whenHeld);
        return new ExclusivePlacement(Placement.forStrategy(strategy, set), locks, rule);
    }

    @Test
    void takesOnlyCpusNoOtherProcessHoldsAndLocksEachUntilItsLastWorkerGoes() {
        locks.elsewhere.add(0);
        locks.elsewhere.add(2);
        ExclusivePlacement p = placement("0-3", Strategy.ROUND_ROBIN, WhenHeld.WAIT);
        Slot first = p.acquire();
        Slot second = p.acquire();
        Slot third = p.acquire();
        assertThat(first.mask()).isEqualTo(CpuSet.of(1));
        assertThat(second.mask()).isEqualTo(CpuSet.of(3));
        assertThat(third.mask()).as("more workers than free CPUs: this JVM's own again").isEqualTo(CpuSet.of(1));
        assertThat(locks.count(1)).isEqualTo(2);
        assertThat(locks.count(3)).isEqualTo(1);
        p.release(first);
        assertThat(locks.count(1)).isEqualTo(1);
        p.release(third);
        p.release(second);
        assertThat(locks.heldHere()).isEqualTo(CpuSet.empty());
        assertThat(p.loads()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void aCpuTakenBetweenTheLookAndTheLockIsPassedOver() {
        locks.refuseOnce.add(0);
        ExclusivePlacement p = placement("0-1", Strategy.ROUND_ROBIN, WhenHeld.WAIT);
        Slot s = p.acquire();
        assertThat(s.mask()).isEqualTo(CpuSet.of(1));
        assertThat(p.loads()).as("the slot it gave up is not counted").containsExactly(0, 1);
    }

    @Test
    void everyCpuHeldElsewhere_waitAndUnpinnedTakeNoSlot() {
        locks.elsewhere.add(0);
        locks.elsewhere.add(1);
        assertThat(placement("0-1", Strategy.ROUND_ROBIN, WhenHeld.WAIT).acquire()).isNull();
        assertThat(placement("0-1", Strategy.SPREAD, WhenHeld.UNPINNED).acquire()).isNull();
        assertThat(placement("0-1", Strategy.SHARED, WhenHeld.WAIT).acquire()).isNull();
        assertThat(locks.heldHere()).isEqualTo(CpuSet.empty());
    }

    @Test
    void shareTakesASlotWithoutALockAndNeverDropsALockAWorkerStillNeeds() {
        locks.elsewhere.add(0);
        locks.elsewhere.add(1);
        ExclusivePlacement p = placement("0-1", Strategy.ROUND_ROBIN, WhenHeld.SHARE);
        Slot unlocked = p.acquire();
        assertThat(unlocked).isNotNull();
        assertThat(locks.heldHere()).isEqualTo(CpuSet.empty());
        // The other process lets go; the next worker locks the CPU the unlocked one is on.
        locks.elsewhere.clear();
        Slot locked = p.acquire();
        Slot onSame = locked.index() == unlocked.index() ? locked : p.acquire();
        assertThat(onSame.index()).isEqualTo(unlocked.index());
        assertThat(locks.count(onSame.index())).isEqualTo(1);
        // Whichever goes first, the lock stays while a worker of this JVM is on the CPU.
        p.release(unlocked);
        assertThat(locks.count(onSame.index())).isEqualTo(1);
        p.release(onSame);
        assertThat(locks.count(onSame.index())).isZero();
    }

    @Test
    void perCoreLocksEveryCpuOfItsSlot() {
        ExclusivePlacement p = placement("0-3", Strategy.PER_CORE, WhenHeld.WAIT);
        // No topology: each CPU is a core, one slot each; the first takes CPU 0.
        Slot s = p.acquire();
        assertThat(locks.heldHere()).isEqualTo(s.mask());
        p.release(s);
        assertThat(locks.heldHere()).isEqualTo(CpuSet.empty());
    }
}
