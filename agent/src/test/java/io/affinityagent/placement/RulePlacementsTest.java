package io.affinityagent.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.OnError;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import io.affinityagent.cpu.Topologies;
import io.affinityagent.log.LogLevel;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rules whose CPUs overlap, placed together: each keeps its own workers balanced, and among its
 * least-loaded slots a worker goes first where the other rules' workers are not (a CPU, or for
 * spread and per-core a whole core). The machine: 2 sockets x 8 cores x 2 threads, CPU N's sibling N + 16.
 */
class RulePlacementsTest {

    private static final CpuTopology MACHINE = Topologies.twoSocketsEightCoresTwoThreads();
    /** Three cores of socket 0 with both hardware threads, as README's server example leaves to its rules. */
    private static final CpuSet SOCKET0_PART = CpuSet.of(1, 2, 3, 17, 18, 19);

    private static Rule rule(String name, CpuSet cpus, Strategy strategy, boolean shareCpus) {
        return new Rule(name, new ThreadNameGlob(name + "-*"), null, null, null, cpus, strategy, shareCpus);
    }

    private static List<Placement> placements(Rule... rules) {
        return RulePlacements.of(new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rules), OnError.WARN,
                LogLevel.INFO, MACHINE.cpus(), CpuSet.empty(), MACHINE));
    }

    private static List<CpuSet> take(Placement p, int workers) {
        List<CpuSet> out = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            out.add(p.acquire().mask());
        }
        return out;
    }

    /** README's events (per-core) and orders (spread, share-cpus) on the same three cores. */
    private static List<Placement> readmesServerRules() {
        return placements(rule("events", SOCKET0_PART, Strategy.PER_CORE, false),
                rule("orders", SOCKET0_PART, Strategy.SPREAD, true));
    }

    @Test
    void readmesServerExampleOrdersGoOnTheCoresTheEventLoopsLeft() {
        List<Placement> p = readmesServerRules();
        Placement events = p.get(0);
        Placement orders = p.get(1);

        assertThat(take(events, 2)).containsExactly(CpuSet.of(1, 17), CpuSet.of(2, 18));
        // Core 3 is the one the event loops left: both its hardware threads before any event loop's core.
        assertThat(take(orders, 2)).containsExactly(CpuSet.of(3), CpuSet.of(19));
        // None left: of its own least-loaded CPUs, one with the fewest event loops, in spread's own order.
        assertThat(take(orders, 1)).containsExactly(CpuSet.of(1));
    }

    @Test
    void aCoreGivenBackByOneRuleIsTheOtherRulesFirstChoice() {
        List<Placement> p = readmesServerRules();
        Placement events = p.get(0);
        Placement orders = p.get(1);
        Slot first = events.acquire();
        events.acquire();
        take(orders, 2);

        events.release(first);

        assertThat(take(orders, 2)).containsExactly(CpuSet.of(1), CpuSet.of(17));
        // The event loop that comes back: its own least-loaded core first, though orders is on it.
        assertThat(events.acquire().mask()).isEqualTo(CpuSet.of(1, 17));
    }

    @Test
    void roundRobinRulesOnTheSameCpusTakeTurns() {
        List<Placement> p = placements(rule("a", CpuSet.range(0, 3), Strategy.ROUND_ROBIN, false),
                rule("b", CpuSet.range(0, 3), Strategy.ROUND_ROBIN, true));

        assertThat(take(p.get(0), 2)).containsExactly(CpuSet.of(0), CpuSet.of(1));
        assertThat(take(p.get(1), 2)).containsExactly(CpuSet.of(2), CpuSet.of(3));
        assertThat(p.get(0).loads()).containsExactly(1, 1, 0, 0);
        assertThat(p.get(1).loads()).containsExactly(0, 0, 1, 1);
    }

    @Test
    void spreadAvoidsACoreWhoseOtherHardwareThreadAnotherRuleHolds() {
        List<Placement> p = placements(rule("low", CpuSet.of(16), Strategy.COMPACT, false),
                rule("hot", CpuSet.of(0, 1, 16, 17), Strategy.SPREAD, true));
        take(p.get(0), 1);

        assertThat(take(p.get(1), 2)).containsExactly(CpuSet.of(1), CpuSet.of(17));
    }

    @Test
    void compactWeighsOnlyTheCpuNotItsCore() {
        List<Placement> p = placements(rule("low", CpuSet.of(16), Strategy.COMPACT, false),
                rule("batch", CpuSet.of(0, 1, 16, 17), Strategy.COMPACT, true));
        take(p.get(0), 1);

        assertThat(take(p.get(1), 3)).containsExactly(CpuSet.of(0), CpuSet.of(1), CpuSet.of(17));
    }

    @Test
    void aRuleKeepsItsOwnWorkersBalancedBesideAnotherRulesWorkers() {
        // TomcatIT's shape: ten exec threads over both CPUs, the acceptor and the poller on the first.
        List<Placement> p = placements(rule("web", CpuSet.range(0, 1), Strategy.ROUND_ROBIN, false),
                rule("io", CpuSet.of(0), Strategy.ROUND_ROBIN, true));
        take(p.get(1), 2);

        List<CpuSet> web = take(p.get(0), 10);

        assertThat(web.subList(0, 2)).containsExactly(CpuSet.of(1), CpuSet.of(0));
        assertThat(p.get(0).loads()).containsExactly(5, 5);
    }

    @Test
    void aSharedRulesWorkersAreCountedNowhere() {
        List<Placement> p = placements(rule("all", CpuSet.range(0, 3), Strategy.SHARED, true),
                rule("a", CpuSet.range(0, 3), Strategy.ROUND_ROBIN, false));
        take(p.get(0), 5);

        assertThat(take(p.get(1), 4)).containsExactly(CpuSet.of(0), CpuSet.of(1), CpuSet.of(2), CpuSet.of(3));
    }

    @Test
    void rulesThatDoNotOverlapKeepTheirOwnOrder() {
        List<Placement> p = placements(rule("a", CpuSet.range(0, 1), Strategy.ROUND_ROBIN, false),
                rule("b", CpuSet.of(16, 17), Strategy.ROUND_ROBIN, false));
        take(p.get(0), 1);

        assertThat(RulePlacements.overlap(List.of(rule("a", CpuSet.range(0, 1), Strategy.ROUND_ROBIN, false),
                rule("b", CpuSet.of(16, 17), Strategy.ROUND_ROBIN, false)))).isEqualTo(CpuSet.empty());
        assertThat(take(p.get(1), 1)).containsExactly(CpuSet.of(16));
    }
}
