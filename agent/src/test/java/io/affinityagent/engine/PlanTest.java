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
import io.affinityagent.placement.RoundRobinPlacement;
import io.affinityagent.placement.SharedPlacement;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

class PlanTest {

    private static final Rule ORDERS = new Rule("orders", new ThreadNameGlob("order-*"), null, null, null,
            CpuSet.range(2, 3), Strategy.ROUND_ROBIN);
    private static final Rule BATCH = new Rule("batch", null, PoolKind.THREAD_POOL, null, null,
            CpuSet.range(4, 7), Strategy.SHARED);
    private static final Rule SCHEDULED = new Rule("scheduled", null, null,
            "java.util.concurrent.ScheduledThreadPoolExecutor", null, CpuSet.of(1), Strategy.ROUND_ROBIN);
    private static final Rule COMMON = new Rule("common", null, PoolKind.COMMON_POOL, null, null,
            CpuSet.range(0, 1), Strategy.ROUND_ROBIN);

    private static Plan plan(Rule... rules) {
        return Plan.of(new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rules), OnError.WARN,
                LogLevel.INFO, CpuSet.range(0, 7)));
    }

    @Test
    void eachRuleGetsThePlacementOfItsStrategy() {
        Plan p = plan(ORDERS, BATCH, COMMON);

        assertThat(p.rules()).extracting(rp -> rp.rule().name()).containsExactly("orders", "batch", "common");
        assertThat(p.rule("orders").placement()).isInstanceOf(RoundRobinPlacement.class);
        assertThat(p.rule("orders").placement().slotMasks()).containsExactly(CpuSet.of(2), CpuSet.of(3));
        assertThat(p.rule("batch").placement()).isInstanceOf(SharedPlacement.class);
        assertThat(p.rule("batch").placement().slotMasks()).containsExactly(CpuSet.range(4, 7));
        assertThat(p.rule("nope")).isNull();
        assertThat(p.config().rules()).containsExactly(ORDERS, BATCH, COMMON);
    }

    @Test
    void firstMatchingRuleInConfigOrderWins() {
        Plan p = plan(ORDERS, SCHEDULED, BATCH, COMMON);

        // "order-1" in a thread pool matches orders and batch: orders comes first.
        assertThat(p.match("order-1", PoolKind.THREAD_POOL, ThreadPoolExecutor.class).rule()).isSameAs(ORDERS);
        assertThat(p.match("worker-1", PoolKind.THREAD_POOL, ScheduledThreadPoolExecutor.class).rule()).isSameAs(SCHEDULED);
        assertThat(p.match("worker-1", PoolKind.THREAD_POOL, ThreadPoolExecutor.class).rule()).isSameAs(BATCH);
        assertThat(p.match("worker-1", PoolKind.COMMON_POOL, ForkJoinPool.class).rule()).isSameAs(COMMON);

        Plan reversed = plan(BATCH, ORDERS);
        assertThat(reversed.match("order-1", PoolKind.THREAD_POOL, ThreadPoolExecutor.class).rule()).isSameAs(BATCH);
    }

    @Test
    void unmatchedWorkerGetsNoRule() {
        Plan p = plan(ORDERS, BATCH, COMMON);

        assertThat(p.match("worker-1", PoolKind.FORK_JOIN, ForkJoinPool.class)).isNull();
        assertThat(p.match("worker-1", PoolKind.VIRTUAL_SCHEDULER, ForkJoinPool.class)).isNull();
        assertThat(plan().match("order-1", PoolKind.THREAD_POOL, ThreadPoolExecutor.class)).isNull();
    }

    @Test
    void hasAnyThreadRulesOnlyWhenARuleIsForPlainThreads() {
        Rule web = new Rule("web", new ThreadNameGlob("qtp*"), PoolKind.ANY_THREAD, null, null, CpuSet.of(0),
                Strategy.ROUND_ROBIN);

        assertThat(plan(ORDERS, BATCH, COMMON).hasAnyThreadRules()).isFalse();
        assertThat(plan(ORDERS, web).hasAnyThreadRules()).isTrue();
        // The agent asks the config before it has a plan: the same answer.
        assertThat(plan(ORDERS, web).config().hasAnyThreadRules()).isTrue();
        assertThat(plan().config().hasAnyThreadRules()).isFalse();
    }

    @Test
    void everyPoolMatchedByARuleSharesItsPlacement() {
        Plan p = plan(ORDERS);

        Plan.RulePlacement a = p.match("order-a-1", PoolKind.THREAD_POOL, ThreadPoolExecutor.class);
        Plan.RulePlacement b = p.match("order-b-1", PoolKind.FORK_JOIN, ForkJoinPool.class);

        assertThat(a).isSameAs(b);
        assertThat(a.placement().acquire().mask()).isEqualTo(CpuSet.of(2));
        assertThat(b.placement().acquire().mask()).as("the second pool spreads onto the next CPU").isEqualTo(CpuSet.of(3));
    }
}
