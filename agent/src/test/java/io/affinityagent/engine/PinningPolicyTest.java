package io.affinityagent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.OnError;
import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.log.LogLevel;
import io.affinityagent.placement.Slot;
import io.affinityagent.registry.WorkerRecord;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine's decisions, from facts alone: no kernel, no fake of one, no thread started. */
class PinningPolicyTest {

    private static final CpuSet MACHINE = CpuSet.range(0, 7);
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());

    private static Plan plan(Rule... rules) {
        return Plan.of(new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rules), OnError.WARN, LogLevel.INFO,
                MACHINE));
    }

    private static Rule byName(String name, String glob, PoolKind pool) {
        return new Rule(name, new ThreadNameGlob(glob), pool, null, null, CpuSet.range(2, 3), Strategy.ROUND_ROBIN);
    }

    private WorkerRecord placedBy(Plan plan, String rule, String threadName) {
        Plan.RulePlacement rp = plan.rule(rule);
        Slot slot = rp.placement().acquire();
        return new WorkerRecord(pool, PoolKind.THREAD_POOL, new Thread(threadName), 42, rp.rule(), rp.placement(), slot);
    }

    @Test
    void aMatchedWorkerIsPinnedByTheFirstRuleThatMatches() {
        Plan plan = plan(byName("orders", "order-*", null), byName("all", "*", null));
        Decision d = PinningPolicy.decide(plan, ThreadFacts.worker("order-1", PoolKind.THREAD_POOL, pool), null);
        assertThat(d.kind()).isEqualTo(Decision.Kind.PIN);
        assertThat(d.rule().rule().name()).isEqualTo("orders");
        assertThat(PinningPolicy.decide(plan, ThreadFacts.worker("order-2", PoolKind.THREAD_POOL, pool), null))
                .as("made once per rule: deciding allocates nothing").isSameAs(d);
    }

    @Test
    void anUnmatchedThreadIsLeftAloneUnlessItInheritedAPinnedMask() {
        Plan plan = plan(byName("orders", "order-*", null));
        assertThat(PinningPolicy.decide(plan, ThreadFacts.worker("batch-1", PoolKind.FORK_JOIN, pool), null))
                .isSameAs(Decision.NOTHING);
        assertThat(PinningPolicy.decide(plan, ThreadFacts.plainThread("batch-1").startedByPinnedThread(), null))
                .isSameAs(Decision.RESET_INHERITED_MASK);
    }

    @Test
    void aPlainThreadIsMatchedOnlyByAnyThreadRules() {
        Plan poolsOnly = plan(byName("orders", "order-*", null));
        assertThat(PinningPolicy.decide(poolsOnly, ThreadFacts.plainThread("order-1"), null)).isSameAs(Decision.NOTHING);
        Plan anyThread = plan(byName("orders", "order-*", PoolKind.ANY_THREAD));
        assertThat(PinningPolicy.decide(anyThread, ThreadFacts.plainThread("order-1"), null).kind())
                .isEqualTo(Decision.Kind.PIN);
        assertThat(PinningPolicy.decide(anyThread, ThreadFacts.worker("order-1", PoolKind.THREAD_POOL, pool), null))
                .as("a pool worker is no plain thread").isSameAs(Decision.NOTHING);
    }

    @Test
    void aThreadPlacedByThisPlanIsKeptAndOneOfAnEarlierPlanIsPlacedAfresh() {
        Plan old = plan(byName("orders", "order-*", null));
        Plan now = plan(byName("orders", "order-*", null));
        ThreadFacts facts = ThreadFacts.worker("order-1", PoolKind.THREAD_POOL, pool);
        assertThat(PinningPolicy.decide(now, facts, placedBy(now, "orders", "order-1"))).isSameAs(Decision.KEEP);
        Decision d = PinningPolicy.decide(now, facts, placedBy(old, "orders", "order-1"));
        assertThat(d.kind()).isEqualTo(Decision.Kind.PIN);
        assertThat(d.rule()).isSameAs(now.rule("orders"));
    }

    @Test
    void aThreadNoRuleOfTheNewPlanMatchesIsReleasedAndDetachReleasesEveryone() {
        Plan old = plan(byName("orders", "order-*", null));
        Plan now = plan(byName("quotes", "quote-*", null));
        WorkerRecord placed = placedBy(old, "orders", "order-1");
        ThreadFacts facts = ThreadFacts.worker("order-1", PoolKind.THREAD_POOL, pool).startedByPinnedThread();
        assertThat(PinningPolicy.decide(now, facts, placed)).isSameAs(Decision.RELEASE);
        assertThat(PinningPolicy.decide(null, facts, placed)).as("detached").isSameAs(Decision.RELEASE);
        assertThat(PinningPolicy.decide(null, facts, null)).as("detached, never placed").isSameAs(Decision.NOTHING);
    }
}
