package io.affinityagent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.placement.Placement;
import io.affinityagent.placement.RoundRobinPlacement;
import io.affinityagent.placement.Slot;
import io.affinityagent.testing.Await;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

class WorkerRegistryTest {

    private static final Rule ORDERS = rule("orders");
    private static final Rule BATCH = rule("batch");

    /** A thread class that says all its instances are equal; the registry must key by identity. */
    static final class AllEqualThread extends Thread {
        static volatile int equalsCalls;
        static volatile int hashCodeCalls;

        AllEqualThread(String name) {
            super(name);
        }

        @Override
        public boolean equals(Object o) {
            equalsCalls++;
            return o instanceof AllEqualThread;
        }

        @Override
        public int hashCode() {
            hashCodeCalls++;
            return 1;
        }
    }

    private final WorkerRegistry registry = new WorkerRegistry();
    private final RoundRobinPlacement placement = RoundRobinPlacement.onePerCpu(CpuSet.range(0, 3));
    private final Object pool = new Object();

    private static Rule rule(String name) {
        return new Rule(name, new ThreadNameGlob(name + "-*"), null, null, null, CpuSet.range(0, 3), Strategy.ROUND_ROBIN);
    }

    private WorkerRecord record(Object pool, Thread t, Rule rule, Placement placement) {
        Slot slot = placement.acquire();
        return new WorkerRecord(pool, PoolKind.THREAD_POOL, t, 1234, rule, placement, slot);
    }

    @Test
    void recordKeepsWhatItWasGiven() {
        Thread t = new Thread("orders-1");
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>());
        try {
            WorkerRecord r = new WorkerRecord(tpe, PoolKind.THREAD_POOL, t, 4321, ORDERS, placement, placement.acquire());

            assertThat(r.pool()).isSameAs(tpe);
            assertThat(r.poolIdentity()).isEqualTo(System.identityHashCode(tpe));
            assertThat(r.poolClassName()).isEqualTo("java.util.concurrent.ThreadPoolExecutor");
            assertThat(r.poolKind()).isEqualTo(PoolKind.THREAD_POOL);
            assertThat(r.threadName()).isEqualTo("orders-1");
            assertThat(r.javaThreadId()).isEqualTo(t.getId());
            assertThat(r.nativeThreadId()).isEqualTo(4321);
            assertThat(r.rule()).isSameAs(ORDERS);
            assertThat(r.placement()).isSameAs(placement);
            assertThat(r.slot().mask()).isEqualTo(CpuSet.of(0));
            assertThat(r.state()).isNull();
        } finally {
            tpe.shutdown();
        }
    }

    @Test
    void addThenRemoveGivesTheSlotBack() {
        Thread t = new Thread("orders-1");
        WorkerRecord r = record(pool, t, ORDERS, placement);

        registry.add(t, r);
        assertThat(registry.get(t)).isSameAs(r);
        assertThat(registry.size()).isEqualTo(1);
        assertThat(placement.loads()).containsExactly(1, 0, 0, 0);

        assertThat(registry.workerExited(t)).isSameAs(r);
        assertThat(registry.get(t)).isNull();
        assertThat(registry.size()).isZero();
        assertThat(placement.loads()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void removingAnUnknownThreadDoesNothing() {
        Thread t = new Thread("orders-1");

        assertThat(registry.workerExited(t)).isNull();
        assertThat(registry.counters("orders").exited()).isZero();
        assertThat(placement.workerCount()).isZero();
    }

    @Test
    void addingAThreadAgainReplacesItsRecordAndGivesTheOldSlotBack() {
        Thread t = new Thread("orders-1");
        WorkerRecord first = record(pool, t, ORDERS, placement);
        WorkerRecord second = record(pool, t, ORDERS, placement);

        registry.add(t, first);
        registry.add(t, second);

        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.get(t)).isSameAs(second);
        assertThat(placement.workerCount()).isEqualTo(1);
        assertThat(placement.loads()).containsExactly(0, 1, 0, 0);
    }

    @Test
    void countersPerRule() {
        Thread a = new Thread("orders-1");
        Thread b = new Thread("orders-2");
        Thread c = new Thread("batch-1");
        WorkerRecord ra = record(pool, a, ORDERS, placement);
        WorkerRecord rb = record(pool, b, ORDERS, placement);
        WorkerRecord rc = record(pool, c, BATCH, placement);

        registry.add(a, ra);
        registry.add(b, rb);
        registry.add(c, rc);
        registry.markPinned(ra, 1_000);
        registry.markFailed(rb, "EINVAL");
        registry.markPinned(rc, 1_000);
        registry.workerExited(a);

        RuleCounters orders = registry.counters("orders");
        assertThat(orders.rule()).isEqualTo("orders");
        assertThat(orders.matched()).isEqualTo(2);
        assertThat(orders.pinned()).isEqualTo(1);
        assertThat(orders.failed()).isEqualTo(1);
        assertThat(orders.exited()).isEqualTo(1);
        assertThat(orders.toString()).isEqualTo("orders: matched=2 pinned=1 failed=1 exited=1");
        assertThat(registry.counters("batch").matched()).isEqualTo(1);
        assertThat(registry.counters("batch").pinned()).isEqualTo(1);
        assertThat(registry.workers()).extracting(e -> e.getValue().rule().name()).containsExactlyInAnyOrder("orders", "batch");

        assertThat(ra.state()).isEqualTo(WorkerRecord.PinState.PINNED);
        assertThat(ra.failure()).isNull();
        assertThat(rb.state()).isEqualTo(WorkerRecord.PinState.FAILED);
        assertThat(rb.failure()).isEqualTo("EINVAL");
    }

    @Test
    void markPinnedAfterAFailureClearsTheReason() {
        Thread t = new Thread("orders-1");
        WorkerRecord r = record(pool, t, ORDERS, placement);

        registry.markFailed(r, "ESRCH");
        registry.markPinned(r, 1_000);

        assertThat(r.state()).isEqualTo(WorkerRecord.PinState.PINNED);
        assertThat(r.failure()).isNull();
    }

    @Test
    void workersAreListedByIdentityWithTheirPools() {
        Object poolA = new Object();
        Object poolB = new Object();
        Thread a1 = new Thread("orders-1");
        Thread a2 = new Thread("orders-2");
        Thread b1 = new Thread("batch-1");
        registry.add(a1, record(poolA, a1, ORDERS, placement));
        registry.add(a2, record(poolA, a2, ORDERS, placement));
        registry.add(b1, record(poolB, b1, BATCH, placement));

        assertThat(registry.workers()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder(a1, a2, b1);
        assertThat(registry.workers()).extracting(e -> e.getValue().pool()).containsOnly(poolA, poolB);
    }

    @Test
    void threadsThatClaimToBeEqualAreStillKeptApart() {
        AllEqualThread t1 = new AllEqualThread("orders-1");
        AllEqualThread t2 = new AllEqualThread("orders-2");
        assertThat(t1).isEqualTo(t2); // what the class claims
        AllEqualThread.equalsCalls = 0;
        AllEqualThread.hashCodeCalls = 0;
        WorkerRecord r1 = record(pool, t1, ORDERS, placement);
        WorkerRecord r2 = record(pool, t2, ORDERS, placement);

        registry.add(t1, r1);
        registry.add(t2, r2);

        assertThat(registry.size()).isEqualTo(2);
        assertThat(registry.get(t1)).isSameAs(r1);
        assertThat(registry.get(t2)).isSameAs(r2);
        assertThat(registry.workerExited(t1)).isSameAs(r1);
        assertThat(registry.get(t2)).isSameAs(r2);
        assertThat(placement.loads()).containsExactly(0, 1, 0, 0);
        assertThat(AllEqualThread.equalsCalls).as("equals calls").isZero();
        assertThat(AllEqualThread.hashCodeCalls).as("hashCode calls").isZero();
    }

    @Test
    void workerWhoseThreadIsCollectedIsForgottenAndItsSlotGivenBack() throws InterruptedException {
        Thread alive = new Thread("orders-alive");
        registry.add(alive, record(pool, alive, ORDERS, placement));
        addFinishedWorker("orders-gone");
        assertThat(registry.size()).isEqualTo(2);
        assertThat(placement.workerCount()).isEqualTo(2);

        Await.untilCollected("the finished worker's thread is collected and expunged", Duration.ofSeconds(20),
                () -> registry.size() == 1);

        assertThat(placement.workerCount()).isEqualTo(1);
        assertThat(placement.loads()).containsExactly(1, 0, 0, 0);
        assertThat(registry.get(alive)).isNotNull();
        assertThat(registry.workers()).extracting(e -> e.getKey().getName()).containsExactly("orders-alive");
    }

    /**
     * A record holds its pool (its thread does anyway, while it is a worker); when the exit of a
     * worker whose pool let go of it goes unseen, its thread is collected and the pool with it.
     */
    @Test
    void aRecordWhoseThreadIsCollectedLetsItsPoolGo() throws InterruptedException {
        WeakReference<Object> pool = addFinishedWorkerOfItsOwnPool("orders-gone");
        assertThat(registry.size()).isEqualTo(1);

        Await.untilCollected("the finished worker's thread and its pool are collected", Duration.ofSeconds(20),
                () -> registry.size() == 0 && pool.get() == null);

        assertThat(placement.workerCount()).isZero();
    }

    /** What a thread's start takes from its parent: a blank record, once; and nothing kept when no rule took it. */
    @Test
    void aPreparedThreadGetsItsBlankRecordOnceAndNotPlacedLeavesNothing() {
        Thread t = new Thread("orders-1");
        registry.prepare(t);
        WorkerRecord blank = registry.blankRecord(t);
        assertThat(registry.blankRecord(t)).isNotSameAs(blank);
        registry.add(t, blank.fill(pool, PoolKind.THREAD_POOL, t, -1).placed(ORDERS, placement, placement.acquire()));
        assertThat(registry.get(t)).isSameAs(blank);
        assertThat(blank.nativeThreadId()).isEqualTo(-1);
        registry.prepare(t); // placed already: nothing more to make
        assertThat(registry.workerExited(t)).isSameAs(blank);
        assertThatThrownBy(() -> blank.fill(pool, PoolKind.THREAD_POOL, t, 1)).isInstanceOf(IllegalStateException.class);

        Thread other = new Thread("batch-1");
        registry.prepare(other);
        registry.mark(other, WorkerRegistry.ThreadMark.POOL_WORKER);
        assertThat(registry.takeMarks(other, WorkerRegistry.ThreadMark.POOL_WORKER)).isTrue();
        registry.dropPrepared(other);
        assertThat(registry.isMarked(other, WorkerRegistry.ThreadMark.POOL_WORKER)).isFalse();
        assertThat(registry.get(other)).isNull();
        assertThat(registry.size()).isZero();
        assertThat(placement.workerCount()).isZero();
    }

    /** A thread that ran and finished, registered and then dropped: only the registry's weak key is left. */
    private void addFinishedWorker(String name) throws InterruptedException {
        Thread t = new Thread(() -> { }, name);
        t.start();
        t.join();
        registry.add(t, record(pool, t, ORDERS, placement));
    }

    private WeakReference<Object> addFinishedWorkerOfItsOwnPool(String name) throws InterruptedException {
        Thread t = new Thread(() -> { }, name);
        t.start();
        t.join();
        Object itsPool = new Object();
        registry.add(t, record(itsPool, t, ORDERS, placement));
        return new WeakReference<>(itsPool);
    }
}
