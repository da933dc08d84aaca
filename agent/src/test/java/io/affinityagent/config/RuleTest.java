package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

class RuleTest {

    /** Made-up executors: a subclass of a subclass of ThreadPoolExecutor. */
    static class OrderExecutor extends ScheduledThreadPoolExecutor {
        OrderExecutor() {
            super(1);
        }
    }

    static final class UrgentOrderExecutor extends OrderExecutor {
    }

    private static Rule rule(String threadName, PoolKind pool, String poolClass) {
        return new Rule("r", threadName == null ? null : new ThreadNameGlob(threadName), pool, poolClass,
                null, CpuSet.of(0), Strategy.ROUND_ROBIN);
    }

    @Test
    void threadNameSelectorAlone() {
        Rule r = rule("order-*", null, null);

        assertThat(r.matches("order-1", PoolKind.THREAD_POOL, ThreadPoolExecutor.class)).isTrue();
        assertThat(r.matches("order-1", PoolKind.COMMON_POOL, ForkJoinPool.class)).isTrue();
        assertThat(r.matches("batch-1", PoolKind.THREAD_POOL, ThreadPoolExecutor.class)).isFalse();
        assertThat(r.matches(null, PoolKind.THREAD_POOL, ThreadPoolExecutor.class)).isFalse();
    }

    @Test
    void poolKindSelectorAlone() {
        Rule r = rule(null, PoolKind.FORK_JOIN, null);

        assertThat(r.matches("any", PoolKind.FORK_JOIN, ForkJoinPool.class)).isTrue();
        assertThat(r.matches("any", PoolKind.COMMON_POOL, ForkJoinPool.class)).isFalse();
        assertThat(r.matches("any", PoolKind.VIRTUAL_SCHEDULER, ForkJoinPool.class)).isFalse();
        assertThat(r.matches("any", PoolKind.THREAD_POOL, ThreadPoolExecutor.class)).isFalse();
    }

    @Test
    void poolClassMatchesTheExecutorClassItself() {
        Rule r = rule(null, null, OrderExecutor.class.getName());

        assertThat(r.matches("w", PoolKind.THREAD_POOL, OrderExecutor.class)).isTrue();
    }

    @Test
    void poolClassMatchesAnySuperclassOfTheExecutor() {
        Rule orders = rule(null, null, OrderExecutor.class.getName());
        Rule scheduled = rule(null, null, "java.util.concurrent.ScheduledThreadPoolExecutor");
        Rule tpe = rule(null, null, "java.util.concurrent.ThreadPoolExecutor");
        Rule object = rule(null, null, "java.lang.Object");

        assertThat(orders.matches("w", PoolKind.THREAD_POOL, UrgentOrderExecutor.class)).isTrue();
        assertThat(scheduled.matches("w", PoolKind.THREAD_POOL, UrgentOrderExecutor.class)).isTrue();
        assertThat(tpe.matches("w", PoolKind.THREAD_POOL, UrgentOrderExecutor.class)).isTrue();
        assertThat(object.matches("w", PoolKind.THREAD_POOL, UrgentOrderExecutor.class)).isTrue();
    }

    @Test
    void poolClassDoesNotMatchSubclassesOrUnrelatedClasses() {
        Rule urgent = rule(null, null, UrgentOrderExecutor.class.getName());
        Rule scheduled = rule(null, null, "java.util.concurrent.ScheduledThreadPoolExecutor");

        assertThat(urgent.matches("w", PoolKind.THREAD_POOL, OrderExecutor.class)).isFalse();
        assertThat(scheduled.matches("w", PoolKind.THREAD_POOL, ThreadPoolExecutor.class)).isFalse();
        assertThat(scheduled.matches("w", PoolKind.FORK_JOIN, ForkJoinPool.class)).isFalse();
    }

    @Test
    void poolClassIsComparedByBinaryNameNotSimpleName() {
        Rule simple = rule(null, null, "OrderExecutor");
        Rule canonical = rule(null, null, "io.affinityagent.config.RuleTest.OrderExecutor");
        Rule binary = rule(null, null, "io.affinityagent.config.RuleTest$OrderExecutor");

        assertThat(simple.matches("w", PoolKind.THREAD_POOL, OrderExecutor.class)).isFalse();
        assertThat(canonical.matches("w", PoolKind.THREAD_POOL, OrderExecutor.class)).isFalse();
        assertThat(binary.matches("w", PoolKind.THREAD_POOL, OrderExecutor.class)).isTrue();
    }

    @Test
    void everySelectorGivenMustMatch() {
        Rule r = rule("order-*", PoolKind.THREAD_POOL, OrderExecutor.class.getName());

        assertThat(r.matches("order-1", PoolKind.THREAD_POOL, UrgentOrderExecutor.class)).isTrue();
        assertThat(r.matches("batch-1", PoolKind.THREAD_POOL, UrgentOrderExecutor.class)).as("name").isFalse();
        assertThat(r.matches("order-1", PoolKind.FORK_JOIN, UrgentOrderExecutor.class)).as("kind").isFalse();
        assertThat(r.matches("order-1", PoolKind.THREAD_POOL, ThreadPoolExecutor.class)).as("class").isFalse();
    }

    @Test
    void selectorTextListsTheGivenSelectors() {
        assertThat(rule("order-*", PoolKind.THREAD_POOL, "a.B").selectorText())
                .isEqualTo("thread-name=order-* pool=thread-pool pool-class=a.B");
        assertThat(rule(null, PoolKind.COMMON_POOL, null).selectorText()).isEqualTo("pool=common-pool");
        assertThat(rule(null, null, "a.B").selectorText()).isEqualTo("pool-class=a.B");
    }
}
