package io.affinityagent.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.Strategy;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import org.junit.jupiter.api.Test;

/** {@link Placement#acquire(CpuSet)}: only slots whose every CPU is in the set, by the strategy's own order. */
class PlacementWithinTest {

    @Test
    void roundRobinBalancesOverTheSlotsItMayTake() {
        Placement p = Placement.forStrategy(Strategy.ROUND_ROBIN, CpuSet.range(0, 3));
        CpuSet within = CpuSet.of(1, 3);
        assertThat(p.acquire(within).mask()).isEqualTo(CpuSet.of(1));
        assertThat(p.acquire(within).mask()).isEqualTo(CpuSet.of(3));
        assertThat(p.acquire(within).mask()).isEqualTo(CpuSet.of(1));
        assertThat(p.acquire().mask()).as("unfiltered: the least loaded, next in order").isEqualTo(CpuSet.of(2));
        assertThat(p.acquire(CpuSet.of(7))).isNull();
        assertThat(p.loads()).containsExactly(0, 2, 1, 1);
    }

    @Test
    void topologyStrategiesKeepTheirOrderWithinTheSet() {
        // Two cores of two hardware threads: spread takes one CPU per core first.
        CpuTopology t = CpuTopology.builder("test").add(0, 0, 0, 0).add(1, 0, 1, 0).add(2, 0, 0, 0).add(3, 0, 1, 0).build();
        Placement spread = Placement.forStrategy(Strategy.SPREAD, CpuSet.range(0, 3), t);
        CpuSet within = CpuSet.of(0, 2, 3);
        CpuSet first = spread.acquire(within).mask();
        CpuSet second = spread.acquire(within).mask();
        assertThat(first.union(second)).as("one per core").isIn(CpuSet.of(0, 3), CpuSet.of(2, 3));
        Placement perCore = Placement.forStrategy(Strategy.PER_CORE, CpuSet.range(0, 3), t);
        assertThat(perCore.acquire(within).mask()).as("the only core whose CPUs are all in the set").isEqualTo(CpuSet.of(0, 2));
        assertThat(perCore.acquire(CpuSet.of(1))).isNull();
    }

    @Test
    void sharedNeedsEveryCpuOfTheRule() {
        Placement p = Placement.forStrategy(Strategy.SHARED, CpuSet.range(0, 1));
        assertThat(p.acquire(CpuSet.of(0))).isNull();
        assertThat(p.acquire(CpuSet.range(0, 3)).mask()).isEqualTo(CpuSet.range(0, 1));
        assertThat(p.loads()).containsExactly(1);
    }
}
