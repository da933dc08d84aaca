package io.affinityagent.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.config.Strategy;
import io.affinityagent.cpu.CpuSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoundRobinPlacementTest {

    /** Made-up machines: 2, 8, 64 and 256 CPUs, and two sockets of 16 (0-15 and 64-79). */
    static Stream<CpuSet> cpuSets() {
        return Stream.of(
                CpuSet.range(0, 1),
                CpuSet.range(0, 7),
                CpuSet.range(0, 63),
                CpuSet.range(0, 255),
                CpuSet.builder().addRange(0, 15, 1).addRange(64, 79, 1).build());
    }

    private static int cpuOf(Slot s) {
        assertThat(s.mask().size()).as("a round-robin slot is one CPU").isEqualTo(1);
        return s.mask().first();
    }

    private static void assertBalanced(Placement p) {
        int[] loads = p.loads();
        int min = Arrays.stream(loads).min().orElseThrow();
        int max = Arrays.stream(loads).max().orElseThrow();
        assertThat(min).as("loads %s", Arrays.toString(loads)).isGreaterThanOrEqualTo(0);
        assertThat(max - min).as("max-min of loads %s", Arrays.toString(loads)).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("cpuSets")
    void slotsAreOneCpuEachInAscendingOrder(CpuSet cpus) {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(cpus);

        List<CpuSet> masks = p.slotMasks();
        assertThat(masks).hasSize(cpus.size());
        int[] expected = cpus.toArray();
        for (int i = 0; i < masks.size(); i++) {
            assertThat(masks.get(i)).isEqualTo(CpuSet.of(expected[i]));
        }
        assertThat(p.loads()).hasSize(cpus.size()).containsOnly(0);
        assertThat(p.workerCount()).isZero();
    }

    @ParameterizedTest
    @MethodSource("cpuSets")
    void nWorkersOnNCpusGetOneCpuEachInOrder(CpuSet cpus) {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(cpus);

        List<Integer> given = new ArrayList<>();
        for (int i = 0; i < cpus.size(); i++) {
            given.add(cpuOf(p.acquire()));
        }

        assertThat(given).containsExactlyElementsOf(Arrays.stream(cpus.toArray()).boxed().toList());
        assertThat(p.loads()).containsOnly(1);
        assertThat(p.workerCount()).isEqualTo(cpus.size());
    }

    @ParameterizedTest
    @MethodSource("cpuSets")
    void moreWorkersThanCpusStayBalancedAfterEveryStart(CpuSet cpus) {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(cpus);

        int workers = cpus.size() * 5 / 2 + 1;
        for (int i = 0; i < workers; i++) {
            p.acquire();
            assertBalanced(p);
        }
        assertThat(p.workerCount()).isEqualTo(workers);
    }

    @Test
    void replacementLandsOnTheFreedCpuNotWhereACounterWouldPutIt() {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(CpuSet.of(0, 1));
        Slot first = p.acquire();
        Slot second = p.acquire();
        assertThat(cpuOf(first)).isEqualTo(0);
        assertThat(cpuOf(second)).isEqualTo(1);

        p.release(second);
        Slot replacement = p.acquire();

        // A plain counter would hand out CPU 0 next, putting two workers on 0 and none on 1.
        assertThat(cpuOf(replacement)).isEqualTo(1);
        assertThat(replacement).isSameAs(second);
        assertThat(p.loads()).containsExactly(1, 1);
    }

    @ParameterizedTest
    @MethodSource("cpuSets")
    void nWorkersOnNCpusStayOnePerCpuHoweverManyAreReplaced(CpuSet cpus) {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(cpus);
        List<Slot> held = new ArrayList<>();
        for (int i = 0; i < cpus.size(); i++) {
            held.add(p.acquire());
        }
        Random random = new Random(cpus.size());

        for (int round = 0; round < 2_000; round++) {
            int victim = random.nextInt(held.size());
            Slot freed = held.get(victim);
            p.release(freed);
            Slot replacement = p.acquire();
            assertThat(replacement).as("round %d", round).isSameAs(freed);
            held.set(victim, replacement);
        }
        assertThat(p.loads()).containsOnly(1);
    }

    @Test
    void severalFreedCpusAreRetakenMostRecentlyFreedFirst() {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(CpuSet.range(0, 7));
        List<Slot> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            held.add(p.acquire());
        }

        p.release(held.get(2));
        p.release(held.get(5));
        p.release(held.get(7));
        p.release(held.get(0));

        assertThat(cpuOf(p.acquire())).isEqualTo(0);
        assertThat(cpuOf(p.acquire())).isEqualTo(7);
        assertThat(cpuOf(p.acquire())).isEqualTo(5);
        assertThat(cpuOf(p.acquire())).isEqualTo(2);
        assertThat(p.loads()).containsOnly(1);
    }

    @Test
    void withMoreWorkersThanCpusAFreedCpuIsStillTakenFirst() {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(CpuSet.range(0, 3));
        List<Slot> held = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            held.add(p.acquire()); // loads 3,3,2,2
        }
        assertThat(p.loads()).containsExactly(3, 3, 2, 2);

        p.release(held.get(1)); // CPU 1: 3 -> 2
        assertThat(cpuOf(p.acquire())).isEqualTo(1);
        assertThat(p.loads()).containsExactly(3, 3, 2, 2);

        p.release(held.get(3)); // CPU 3: 2 -> 1, the only least-loaded CPU
        assertThat(cpuOf(p.acquire())).isEqualTo(3);
        assertThat(p.loads()).containsExactly(3, 3, 2, 2);
    }

    @ParameterizedTest
    @MethodSource("cpuSets")
    void twoPoolsSharingARuleSpreadOverItsCpus(CpuSet cpus) {
        RoundRobinPlacement shared = RoundRobinPlacement.onePerCpu(cpus);
        int half = Math.max(1, cpus.size() / 2);
        Set<Integer> poolA = new HashSet<>();
        Set<Integer> poolB = new HashSet<>();

        for (int i = 0; i < half; i++) {
            poolA.add(cpuOf(shared.acquire()));
        }
        for (int i = 0; i < half; i++) {
            poolB.add(cpuOf(shared.acquire()));
        }

        assertThat(poolA).hasSize(half);
        assertThat(poolB).hasSize(half);
        assertThat(poolA).doesNotContainAnyElementsOf(poolB);
        assertBalanced(shared);
    }

    @Test
    void twoFullPoolsOnOneRuleLoadEveryCpuEvenly() {
        RoundRobinPlacement shared = RoundRobinPlacement.onePerCpu(CpuSet.range(0, 7));

        for (int i = 0; i < 16; i++) {
            shared.acquire();
        }

        assertThat(shared.loads()).containsOnly(2);
    }

    @ParameterizedTest
    @MethodSource("cpuSets")
    void shortLivedPairsGetTwoDifferentCpusAndGiveThemBack(CpuSet cpus) {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(cpus);

        for (int i = 0; i < 300; i++) {
            Slot a = p.acquire();
            Slot b = p.acquire();
            assertThat(cpuOf(a)).as("pair %d", i).isNotEqualTo(cpuOf(b));
            if (i % 2 == 0) {
                p.release(a);
                p.release(b);
            } else {
                p.release(b);
                p.release(a);
            }
        }

        assertThat(p.workerCount()).isZero();
        assertThat(p.loads()).containsOnly(0);
    }

    @Test
    void shortLivedPairsBesideLongLivedWorkersUseTheFreeCpus() {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(CpuSet.range(0, 7));
        Set<Integer> longLived = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            longLived.add(cpuOf(p.acquire()));
        }

        for (int i = 0; i < 300; i++) {
            Slot a = p.acquire();
            Slot b = p.acquire();
            assertThat(Set.of(cpuOf(a), cpuOf(b))).as("pair %d", i).hasSize(2).doesNotContainAnyElementsOf(longLived);
            p.release(a);
            p.release(b);
        }

        assertThat(p.loads()).containsExactly(1, 1, 1, 1, 1, 1, 0, 0);
    }

    @Test
    void releasingASlotOfAnotherPlacementThrowsAndChangesNothing() {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(CpuSet.of(0, 1));
        RoundRobinPlacement other = RoundRobinPlacement.onePerCpu(CpuSet.of(0, 1));
        p.acquire();
        Slot foreign = other.acquire();

        assertThatThrownBy(() -> p.release(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> p.release(new Slot(0, CpuSet.of(0)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.release(new Slot(5, CpuSet.of(5)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.release(new Slot(-1, CpuSet.of(0)))).isInstanceOf(IllegalArgumentException.class);
        assertThat(p.loads()).containsExactly(1, 0);
        assertThat(other.loads()).containsExactly(1, 0);
    }

    @Test
    void releasingTwiceThrowsAndLoadsNeverGoNegative() {
        RoundRobinPlacement p = RoundRobinPlacement.onePerCpu(CpuSet.of(0, 1));
        Slot s = p.acquire();
        p.release(s);

        assertThatThrownBy(() -> p.release(s))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released more often than acquired");
        assertThat(p.loads()).containsExactly(0, 0);
        Slot other = p.acquire();
        Slot keep = p.acquire();
        p.release(other);
        assertThatThrownBy(() -> p.release(other)).isInstanceOf(IllegalStateException.class);
        assertThat(p.workerCount()).isEqualTo(1);
        p.release(keep);
        assertThat(p.loads()).containsExactly(0, 0);
    }

    @Test
    void emptyCpuSetIsRejected() {
        assertThatThrownBy(() -> RoundRobinPlacement.onePerCpu(CpuSet.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }

    @Test
    void slotsMayBeWiderThanOneCpu() {
        RoundRobinPlacement p = new RoundRobinPlacement(List.of(CpuSet.range(0, 15), CpuSet.range(64, 79)));

        assertThat(p.acquire().mask()).isEqualTo(CpuSet.range(0, 15));
        assertThat(p.acquire().mask()).isEqualTo(CpuSet.range(64, 79));
        assertThat(p.acquire().mask()).isEqualTo(CpuSet.range(0, 15));
    }

    @Test
    void forStrategyBuildsTheMatchingPlacement() {
        Placement rr = Placement.forStrategy(Strategy.ROUND_ROBIN, CpuSet.range(2, 3));
        Placement shared = Placement.forStrategy(Strategy.SHARED, CpuSet.range(4, 7));

        assertThat(rr).isInstanceOf(RoundRobinPlacement.class);
        assertThat(rr.slotMasks()).containsExactly(CpuSet.of(2), CpuSet.of(3));
        assertThat(shared).isInstanceOf(SharedPlacement.class);
        assertThat(shared.slotMasks()).containsExactly(CpuSet.range(4, 7));
    }

    /**
     * Workers start, are replaced over and over, and exit on many threads at once. Loads must
     * never go negative nor above the number of workers, and once the replacements are done
     * the workers must be spread with max-min <= 1, as if it had all happened in sequence.
     */
    @RepeatedTest(25)
    void concurrentStartsReplacementsAndExitsKeepLoadsBalanced() throws Exception {
        for (CpuSet cpus : List.of(CpuSet.of(0, 1), CpuSet.range(0, 7))) {
            runConcurrently(RoundRobinPlacement.onePerCpu(cpus), 12, 3, 300);
        }
    }

    /**
     * {@code threads} threads, each running {@code workersPerThread} workers: start them all at
     * once, check, replace each {@code replacements} times (release, then acquire), check, exit.
     * The checks run while every thread waits at a barrier.
     */
    static void runConcurrently(Placement p, int threads, int workersPerThread, int replacements) throws Exception {
        int total = threads * workersPerThread;
        CyclicBarrier started = new CyclicBarrier(threads + 1);
        CyclicBarrier go = new CyclicBarrier(threads + 1);
        CyclicBarrier replaced = new CyclicBarrier(threads + 1);
        CyclicBarrier exit = new CyclicBarrier(threads + 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean running = new AtomicBoolean(true);

        Thread sampler = new Thread(() -> {
            while (running.get()) {
                int[] loads = p.loads();
                int sum = 0;
                for (int l : loads) {
                    if (l < 0) {
                        failure.compareAndSet(null, new AssertionError("negative load: " + Arrays.toString(loads)));
                    }
                    sum += l;
                }
                if (sum > total) {
                    failure.compareAndSet(null, new AssertionError("more load than workers: " + Arrays.toString(loads)));
                }
                Thread.onSpinWait();
            }
        }, "load-sampler");
        sampler.start();

        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    Slot[] mine = new Slot[workersPerThread];
                    for (int i = 0; i < mine.length; i++) {
                        mine[i] = p.acquire();
                    }
                    started.await(10, TimeUnit.SECONDS);
                    go.await(10, TimeUnit.SECONDS);
                    for (int r = 0; r < replacements; r++) {
                        int i = r % mine.length;
                        p.release(mine[i]);
                        mine[i] = p.acquire();
                    }
                    replaced.await(10, TimeUnit.SECONDS);
                    exit.await(10, TimeUnit.SECONDS);
                    for (Slot s : mine) {
                        p.release(s);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    started.reset();
                    go.reset();
                    replaced.reset();
                    exit.reset();
                }
            }, "placement-worker-" + t);
            workers.add(w);
            w.start();
        }
        try {
            started.await(10, TimeUnit.SECONDS);
            assertThat(p.workerCount()).isEqualTo(total);
            assertBalanced(p);
            go.await(10, TimeUnit.SECONDS);
            replaced.await(10, TimeUnit.SECONDS);
            assertThat(p.workerCount()).isEqualTo(total);
            assertBalanced(p);
            exit.await(10, TimeUnit.SECONDS);
            for (Thread w : workers) {
                w.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(w.isAlive()).as("%s finished", w.getName()).isFalse();
            }
        } finally {
            running.set(false);
            sampler.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (failure.get() != null) {
            throw new AssertionError("a worker or the sampler failed", failure.get());
        }
        assertThat(p.loads()).containsOnly(0);
    }
}
