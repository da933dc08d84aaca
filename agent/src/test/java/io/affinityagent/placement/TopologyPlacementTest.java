package io.affinityagent.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import io.affinityagent.cpu.Topologies;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** spread, compact and per-core on simulated machines: order, replacement, more workers than CPUs. */
class TopologyPlacementTest {

    private static final CpuTopology SMALL = Topologies.oneSocketTwoCpus();
    private static final CpuTopology TWO_SOCKETS = Topologies.twoSocketsEightCoresTwoThreads();
    private static final CpuTopology FOUR_NODES = Topologies.fourNodesSixteenCores();

    // ---- spread

    @Test
    void spreadOnTwoCpusGivesOneEachThenDoublesUp() {
        Placement p = TopologyPlacement.spread(SMALL.cpus(), SMALL);

        assertThat(take(p, 5)).containsExactly("0", "1", "0", "1", "0");
    }

    @Test
    void spreadUsesEveryCoreAlternatingSocketsBeforeAnySecondHardwareThread() {
        Placement p = TopologyPlacement.spread(TWO_SOCKETS.cpus(), TWO_SOCKETS);

        List<String> first = take(p, 16);
        assertThat(first).containsExactly("0", "8", "1", "9", "2", "10", "3", "11", "4", "12", "5", "13", "6", "14",
                "7", "15");
        // Every core has a worker: now the second hardware threads, still alternating sockets.
        assertThat(take(p, 4)).containsExactly("16", "24", "17", "25");
    }

    @Test
    void spreadWithMoreWorkersThanCpusStartsTheSameOrderAgain() {
        Placement p = TopologyPlacement.spread(TWO_SOCKETS.cpus(), TWO_SOCKETS);
        List<String> firstRound = take(p, 32);

        assertThat(firstRound).doesNotHaveDuplicates().hasSize(32);
        assertThat(take(p, 32)).isEqualTo(firstRound);
        assertThat(p.loads()).containsOnly(2);
    }

    @Test
    void spreadAlternatesSocketsThenTheNodesWithinThem() {
        Placement p = TopologyPlacement.spread(FOUR_NODES.cpus(), FOUR_NODES);

        // Socket 0 holds nodes 0 and 1 (CPUs 0-31), socket 1 nodes 2 and 3.
        assertThat(take(p, 8)).containsExactly("0", "32", "16", "48", "1", "33", "17", "49");
    }

    @Test
    void spreadOverPartOfTheMachineStaysOnOneCoreEachWhileItCan() {
        // Socket 0's first four cores with both threads, and one core of socket 1.
        CpuSet cpus = CpuSet.of(0, 1, 2, 3, 16, 17, 18, 19, 8, 24);
        Placement p = TopologyPlacement.spread(cpus, TWO_SOCKETS);

        assertThat(take(p, 5)).containsExactly("0", "8", "1", "2", "3");
        assertThat(take(p, 5)).containsExactly("24", "16", "17", "18", "19");
    }

    @Test
    void spreadReplacementLandsOnTheFreedCpu() {
        Placement p = TopologyPlacement.spread(TWO_SOCKETS.cpus(), TWO_SOCKETS);
        List<Slot> workers = acquire(p, 20); // every core, plus four second threads

        for (int victim : new int[] {9, 24, 0, 17}) {
            Slot freed = slotOf(workers, victim);
            p.release(freed);
            Slot replacement = p.acquire();
            assertThat(replacement.mask()).as("replacement of the worker on CPU %d", victim).isEqualTo(CpuSet.of(victim));
            workers.set(workers.indexOf(freed), replacement);
        }
        assertThat(sum(p.loads())).isEqualTo(20);
    }

    @Test
    void spreadAfterExitsPrefersAnIdleCoreOnTheIdleSocket() {
        Placement p = TopologyPlacement.spread(TWO_SOCKETS.cpus(), TWO_SOCKETS);
        List<Slot> workers = acquire(p, 3); // 0, 8, 1
        p.release(slotOf(workers, 8));
        p.release(slotOf(workers, 0));

        // Socket 1 is empty; the worker goes there, on the CPU freed there, not on socket 0's freed CPU 0.
        assertThat(p.acquire().mask()).isEqualTo(CpuSet.of(8));
        assertThat(p.acquire().mask()).isEqualTo(CpuSet.of(0));
    }

    @Test
    void spreadNeverDoublesUpACoreWhileAnotherIsIdle() {
        for (CpuTopology t : List.of(TWO_SOCKETS, FOUR_NODES, SMALL)) {
            Random random = new Random(42);
            Placement p = TopologyPlacement.spread(t.cpus(), t);
            List<Slot> live = new ArrayList<>();
            for (int step = 0; step < 5_000; step++) {
                if (!live.isEmpty() && (random.nextInt(3) == 0 || live.size() > 2 * t.cpus().size())) {
                    p.release(live.remove(random.nextInt(live.size())));
                    continue;
                }
                int[] coreLoads = coreLoads(t, live);
                boolean idleCore = false;
                boolean idleCpu = false;
                for (int l : coreLoads) {
                    idleCore |= l == 0;
                }
                for (int cpu : t.cpus().toArray()) {
                    idleCpu |= cpuLoad(live, cpu) == 0;
                }
                Slot s = p.acquire();
                int cpu = s.mask().first();
                if (idleCore) {
                    assertThat(coreLoads[t.coreOf(cpu).index()]).as("%s step %d: core of CPU %d", t.source(), step, cpu)
                            .isZero();
                }
                if (idleCpu) {
                    assertThat(cpuLoad(live, cpu)).as("%s step %d: load of CPU %d", t.source(), step, cpu).isZero();
                }
                live.add(s);
            }
        }
    }

    // ---- compact

    @Test
    void compactOnTwoCpusFillsInOrder() {
        Placement p = TopologyPlacement.compact(SMALL.cpus(), SMALL);

        assertThat(take(p, 4)).containsExactly("0", "1", "0", "1");
    }

    @Test
    void compactFillsACoresThreadsThenTheNextCoreThenTheNextSocket() {
        Placement p = TopologyPlacement.compact(TWO_SOCKETS.cpus(), TWO_SOCKETS);

        assertThat(take(p, 6)).containsExactly("0", "16", "1", "17", "2", "18");
        List<String> rest = take(p, 26);
        assertThat(rest.subList(8, 12)).containsExactly("7", "23", "8", "24"); // socket 0 is full, then socket 1
        assertThat(take(p, 2)).as("more workers than CPUs").containsExactly("0", "16");
    }

    @Test
    void compactWithoutHyperThreadsFillsNodeByNode() {
        Placement p = TopologyPlacement.compact(FOUR_NODES.cpus(), FOUR_NODES);

        List<String> all = take(p, 64);
        assertThat(all.subList(0, 3)).containsExactly("0", "1", "2");
        assertThat(all.subList(15, 18)).containsExactly("15", "16", "17");
        assertThat(take(p, 1)).containsExactly("0");
    }

    @Test
    void compactReplacementLandsOnTheFreedCpu() {
        Placement p = TopologyPlacement.compact(TWO_SOCKETS.cpus(), TWO_SOCKETS);
        List<Slot> workers = acquire(p, 10);

        p.release(slotOf(workers, 17));
        assertThat(p.acquire().mask()).isEqualTo(CpuSet.of(17));
        p.release(slotOf(workers, 0));
        p.release(slotOf(workers, 2));
        assertThat(take(p, 3)).containsExactly("2", "0", "5"); // freed ones first, newest first, then onwards
    }

    // ---- per-core

    @Test
    void perCoreOnTwoCpusGivesEachWorkerItsCore() {
        Placement p = TopologyPlacement.perCore(SMALL.cpus(), SMALL);

        assertThat(take(p, 3)).containsExactly("0", "1", "0");
    }

    @Test
    void perCoreGivesEachWorkerBothHardwareThreadsOfItsCore() {
        Placement p = TopologyPlacement.perCore(TWO_SOCKETS.cpus(), TWO_SOCKETS);

        assertThat(p.slotMasks()).hasSize(16);
        assertThat(take(p, 3)).containsExactly("0,16", "1,17", "2,18");
        List<String> rest = take(p, 13);
        assertThat(rest.get(5)).isEqualTo("8,24"); // socket 1 after socket 0
        assertThat(take(p, 1)).as("the 17th worker shares the first core").containsExactly("0,16");
    }

    @Test
    void perCoreOnlyUsesTheRulesThreadsOfACore() {
        Placement p = TopologyPlacement.perCore(CpuSet.of(0, 16, 1, 9, 25), TWO_SOCKETS);

        assertThat(take(p, 3)).containsExactly("0,16", "1", "9,25");
    }

    @Test
    void perCoreReplacementGetsTheFreedCore() {
        Placement p = TopologyPlacement.perCore(FOUR_NODES.cpus(), FOUR_NODES);
        List<Slot> workers = acquire(p, 64);

        Slot freed = slotOf(workers, 40);
        p.release(freed);
        assertThat(p.acquire()).isSameAs(freed);
        assertThat(p.loads()).containsOnly(1);
    }

    // ---- all three, on all three machines

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> everyStrategyOnEveryMachine() {
        List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
        for (String strategy : List.of("spread", "compact", "per-core")) {
            for (CpuTopology t : List.of(SMALL, TWO_SOCKETS, FOUR_NODES)) {
                out.add(org.junit.jupiter.params.provider.Arguments.of(strategy, t));
            }
        }
        return out.stream();
    }

    private static Placement placement(String strategy, CpuTopology t) {
        switch (strategy) {
            case "spread":
                return TopologyPlacement.spread(t.cpus(), t);
            case "compact":
                return TopologyPlacement.compact(t.cpus(), t);
            default:
                return TopologyPlacement.perCore(t.cpus(), t);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} on {1}")
    @org.junit.jupiter.params.provider.MethodSource("everyStrategyOnEveryMachine")
    void aRoundUsesEverySlotOnceThenTheSameOrderAgainAndAReplacementGetsTheFreedSlot(String strategy, CpuTopology t) {
        Placement p = placement(strategy, t);
        int slots = strategy.equals("per-core") ? t.cores().size() : t.cpus().size();
        assertThat(p.slotMasks()).hasSize(slots);

        List<Slot> firstRound = acquire(p, slots);
        assertThat(firstRound).as("a full round").doesNotHaveDuplicates();
        List<Slot> secondRound = acquire(p, slots);
        assertThat(secondRound).as("more workers than slots: the same order again").isEqualTo(firstRound);
        assertThat(p.loads()).containsOnly(2);

        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Slot victim = secondRound.get(random.nextInt(slots));
            p.release(victim);
            assertThat(p.acquire()).as("the replacement of a worker on %s", victim).isSameAs(victim);
        }
        assertThat(p.loads()).containsOnly(2);
    }

    // ---- all three

    @Test
    void aCpuTheTopologyDoesNotKnowIsACoreOfItsOwn() {
        Placement p = TopologyPlacement.perCore(CpuSet.of(0, 16, 40), TWO_SOCKETS);

        assertThat(take(p, 2)).containsExactly("0,16", "40");
    }

    @Test
    void releasingASlotTwiceOrAForeignSlotIsRefused() {
        Placement p = TopologyPlacement.compact(SMALL.cpus(), SMALL);
        Slot s = p.acquire();
        p.release(s);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.release(s)).isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.release(new Slot(0, CpuSet.of(0))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers

    private static List<String> take(Placement p, int n) {
        List<String> out = new ArrayList<>();
        for (Slot s : acquire(p, n)) {
            out.add(s.mask().toString());
        }
        return out;
    }

    private static List<Slot> acquire(Placement p, int n) {
        List<Slot> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(p.acquire());
        }
        return out;
    }

    private static Slot slotOf(List<Slot> workers, int cpu) {
        for (Slot s : workers) {
            if (s.mask().contains(cpu)) {
                return s;
            }
        }
        throw new AssertionError("no worker on CPU " + cpu);
    }

    private static int cpuLoad(List<Slot> live, int cpu) {
        int n = 0;
        for (Slot s : live) {
            n += s.mask().contains(cpu) ? 1 : 0;
        }
        return n;
    }

    private static int[] coreLoads(CpuTopology t, List<Slot> live) {
        int[] loads = new int[t.cores().size()];
        for (Slot s : live) {
            loads[t.coreOf(s.mask().first()).index()]++;
        }
        return loads;
    }

    private static int sum(int[] loads) {
        int s = 0;
        for (int l : loads) {
            s += l;
        }
        return s;
    }
}
