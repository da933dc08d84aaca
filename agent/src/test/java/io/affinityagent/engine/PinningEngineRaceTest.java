package io.affinityagent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.OnError;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import io.affinityagent.os.AffinityException;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import io.affinityagent.placement.Placement;
import io.affinityagent.registry.RuleCounters;
import io.affinityagent.registry.StatusPublisher;
import io.affinityagent.registry.WorkerRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Worker starts and exits racing on one rule, through the real start and exit path (placement,
 * registry, status, the real kernel call), many times over: the loads stay balanced, add up to
 * the live workers, and what is published says the same; and no shared lock is held while the
 * kernel is called: not the placement's, the registry's, the publisher's or the pinner's, only
 * (by design, to order a start against an attach sweep of the same worker) the worker's own
 * striped monitor.
 */
class PinningEngineRaceTest {

    private static final int WORKERS = 33; // more than CPUs, and odd: loads must come out 17,16
    private static final Strategy ROUND_ROBIN = Strategy.ROUND_ROBIN;

    private static CpuAffinity kernel;
    private static CpuSet processCpus;
    private static CpuSet twoCpus;
    private static ThreadPoolExecutor pool;

    @BeforeAll
    static void loadKernel() throws Exception {
        kernel = CpuAffinities.load(NativeCalls.class);
        assertThat(kernel.isSupported()).as(String.valueOf(kernel.unsupportedReason())).isTrue();
        processCpus = ProcFs.system().selfAllowedCpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(processCpus.size() >= 2,
                "these tests need two CPUs; the process may use only CPU " + processCpus);
        twoCpus = CpuSet.of(processCpus.nth(0), processCpus.nth(1));
        // Only its identity and class matter: the workers below stand in for its threads.
        pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    }

    @AfterAll
    static void stopPool() {
        if (pool != null) { // null when the class was skipped
            pool.shutdownNow();
        }
    }

    /** One pinner, set up as the agent sets it up, with every monitor the agent could hold. */
    private static final class Rig {
        final Plan plan;
        final WorkerRegistry registry = new WorkerRegistry();
        final Properties published = new Properties();
        final StatusPublisher status = new StatusPublisher(published);
        final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        final AgentLog log = new AgentLog(LogLevel.INFO, () -> new PrintStream(logBytes, true, StandardCharsets.UTF_8));
        final LockCheckingAffinity affinity;
        final PinningEngine pinner;

        Rig(CpuSet cpus, Strategy strategy) {
            Rule rule = new Rule("hot", new ThreadNameGlob("racer-*"), null, null, null, cpus, strategy);
            plan = Plan.of(new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rule), OnError.WARN,
                    LogLevel.INFO, processCpus));
            affinity = new LockCheckingAffinity(kernel);
            pinner = TestEngines.started(plan, registry, affinity, log);
            affinity.watch(plan, plan.rule("hot").placement(), registry, status, published, pinner, log);
        }

        Placement placement() {
            return plan.rule("hot").placement();
        }

        RuleCounters counters() {
            return registry.counters("hot");
        }

        int[] publishedLoads() {
            TestEngines.statusOf(pinner, published).writeLiveLines();
            String value = published.getProperty(StatusPublisher.RULE + "hot");
            assertThat(value).as("published rule").isNotNull();
            for (String part : value.split(" ")) {
                if (part.startsWith("loads=")) {
                    return Arrays.stream(part.substring(6).split(",")).mapToInt(Integer::parseInt).toArray();
                }
            }
            throw new AssertionError("no loads in " + value);
        }

        long publishedCounter(String name) {
            TestEngines.statusOf(pinner, published).writeLiveLines();
            String value = published.getProperty(StatusPublisher.RULE + "hot");
            for (String part : value.split(" ")) {
                if (part.startsWith(name + "=")) {
                    return Long.parseLong(part.substring(name.length() + 1));
                }
            }
            throw new AssertionError("no " + name + " in " + value);
        }

        long publishedThreads() {
            TestEngines.statusOf(pinner, published).writeLiveLines();
            return published.stringPropertyNames().stream().filter(k -> k.startsWith(StatusPublisher.THREAD)).count();
        }
    }

    @RepeatedTest(value = 60, name = "{currentRepetition}/{totalRepetitions}")
    void racingStartsOnOneRuleEndBalancedAndPublishedAsTheyAre() throws Exception {
        Rig rig = new Rig(twoCpus, ROUND_ROBIN);
        rig.affinity.inventory = true;
        CyclicBarrier go = new CyclicBarrier(WORKERS);
        CountDownLatch started = new CountDownLatch(WORKERS);
        CountDownLatch exit = new CountDownLatch(1);
        CyclicBarrier goExit = new CyclicBarrier(WORKERS);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(new Thread(() -> {
                try {
                    go.await();
                    rig.pinner.onWorkerStart(pool, Thread.currentThread());
                    started.countDown();
                    exit.await();
                    goExit.await();
                    rig.pinner.onWorkerExit(Thread.currentThread());
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "racer-" + i));
        }
        workers.forEach(Thread::start);
        assertThat(started.await(60, TimeUnit.SECONDS)).as("every worker started").isTrue();

        int[] loads = rig.placement().loads();
        assertThat(sum(loads)).isEqualTo(WORKERS);
        assertThat(max(loads) - min(loads)).as("balance of %s", Arrays.toString(loads)).isLessThanOrEqualTo(1);
        assertThat(rig.registry.size()).isEqualTo(WORKERS);
        assertThat(rig.publishedLoads()).as("published loads").containsExactly(loads);
        assertThat(rig.publishedCounter("matched")).isEqualTo(WORKERS);
        assertThat(rig.publishedCounter("pinned")).isEqualTo(WORKERS);
        assertThat(rig.publishedThreads()).isEqualTo(WORKERS);
        assertThat(rig.affinity.kernelCalls.get()).as("calls into the kernel").isEqualTo(WORKERS);
        assertThat(rig.affinity.violations).as("locks held while calling the kernel").isEmpty();

        exit.countDown();
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(failures).isEmpty();
        assertThat(rig.placement().loads()).containsOnly(0);
        assertThat(rig.publishedLoads()).containsOnly(0);
        assertThat(rig.publishedCounter("exited")).isEqualTo(WORKERS);
        assertThat(rig.publishedThreads()).isZero();
        assertThat(rig.registry.size()).isZero();
        assertThat(rig.logBytes.size()).as("nothing to warn about").isZero();
    }

    @RepeatedTest(value = 20, name = "{currentRepetition}/{totalRepetitions}")
    void startsAndExitsInterleavedFromManyThreadsLeaveNothingBehind() throws Exception {
        Rig rig = new Rig(twoCpus, ROUND_ROBIN);
        int cycles = 40;
        CyclicBarrier go = new CyclicBarrier(WORKERS);
        CountDownLatch done = new CountDownLatch(WORKERS);
        CountDownLatch exit = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            long seed = i;
            workers.add(new Thread(() -> {
                Random random = new Random(seed);
                try {
                    go.await();
                    for (int c = 0; c < cycles; c++) {
                        rig.pinner.onWorkerStart(pool, Thread.currentThread());
                        if (random.nextBoolean()) {
                            Thread.yield();
                        }
                        rig.pinner.onWorkerExit(Thread.currentThread());
                    }
                    // Every worker ends started: a pool back to full strength after its churn.
                    rig.pinner.onWorkerStart(pool, Thread.currentThread());
                    done.countDown();
                    exit.await();
                    rig.pinner.onWorkerExit(Thread.currentThread());
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "racer-" + i));
        }
        workers.forEach(Thread::start);
        assertThat(done.await(60, TimeUnit.SECONDS)).as("every worker finished its cycles").isTrue();

        int[] loads = rig.placement().loads();
        assertThat(sum(loads)).isEqualTo(WORKERS);
        assertThat(max(loads) - min(loads)).as("balance of %s", Arrays.toString(loads)).isLessThanOrEqualTo(1);
        assertThat(rig.publishedLoads()).as("published loads").containsExactly(loads);
        assertThat(rig.publishedCounter("matched")).isEqualTo((long) WORKERS * (cycles + 1));
        assertThat(rig.publishedCounter("exited")).isEqualTo((long) WORKERS * cycles);
        assertThat(rig.publishedThreads()).isEqualTo(WORKERS);
        assertThat(rig.affinity.violations).as("locks held while calling the kernel").isEmpty();

        exit.countDown();
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(failures).isEmpty();
        assertThat(rig.placement().loads()).containsOnly(0);
        assertThat(rig.publishedLoads()).containsOnly(0);
        assertThat(rig.publishedThreads()).isZero();
        assertThat(rig.registry.size()).isZero();
    }

    @Test
    void sharedStrategyCountsRacingWorkersExactly() throws Exception {
        Rig rig = new Rig(twoCpus, Strategy.SHARED);
        CyclicBarrier go = new CyclicBarrier(WORKERS);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(new Thread(() -> {
                try {
                    go.await();
                    rig.pinner.onWorkerStart(pool, Thread.currentThread());
                    assertThat(kernel.getCurrentThread()).isEqualTo(twoCpus);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "racer-" + i));
        }
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(rig.placement().loads()).containsExactly(WORKERS);
        assertThat(rig.publishedLoads()).containsExactly(WORKERS);
        assertThat(rig.affinity.violations).isEmpty();
    }

    @Test
    void theLockCheckCatchesAHeldLock() throws Exception {
        // The check above would be worthless if it could not see a held monitor: show that it does.
        Rig rig = new Rig(twoCpus, ROUND_ROBIN);
        rig.affinity.inventory = true;
        Thread t = new Thread(() -> {
            synchronized (rig.placement()) {
                try {
                    rig.affinity.setCurrentThread(twoCpus);
                } catch (AffinityException e) {
                    throw new AssertionError(e);
                }
            }
        }, "racer-0");
        t.start();
        t.join();
        assertThat(rig.affinity.violations).isNotEmpty().allSatisfy(v -> assertThat(v).contains("RoundRobinPlacement"));
    }

    /**
     * The real kernel, behind a check of every monitor the calling thread holds when asked to pin
     * (the agent takes no other kind of lock): none of the shared ones it watches, and nothing but
     * one of the engine's stripes, the worker's own.
     */
    static final class LockCheckingAffinity implements CpuAffinity {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        final CpuAffinity kernel;
        final AtomicInteger kernelCalls = new AtomicInteger();
        final List<String> violations = new CopyOnWriteArrayList<>();
        private Object[] watched = new Object[0];
        /** Also list every monitor held (a safepoint per call: for the tests with fewer calls). */
        volatile boolean inventory;

        LockCheckingAffinity(CpuAffinity kernel) {
            this.kernel = kernel;
        }

        void watch(Object... monitors) {
            watched = monitors.clone();
        }

        private void check(String call) {
            String who = Thread.currentThread().getName();
            for (Object m : watched) {
                if (Thread.holdsLock(m)) {
                    violations.add(who + " holds " + m.getClass().getName() + " during " + call);
                }
            }
            if (!inventory) {
                return;
            }
            MonitorInfo[] held = THREADS.getThreadInfo(new long[] {Thread.currentThread().getId()}, true, false)[0]
                    .getLockedMonitors();
            if (held.length > 1) {
                violations.add(who + " holds " + held.length + " monitors during " + call);
            }
            for (MonitorInfo m : held) {
                if (!m.getClassName().equals(PinningEngine.class.getName() + "$Stripe")) {
                    violations.add(who + " holds a " + m.getClassName() + " during " + call);
                }
            }
        }

        @Override
        public boolean isSupported() {
            return kernel.isSupported();
        }

        @Override
        public String unsupportedReason() {
            return kernel.unsupportedReason();
        }

        @Override
        public void setCurrentThread(CpuSet mask) throws AffinityException {
            check("sched_setaffinity");
            kernelCalls.incrementAndGet();
            kernel.setCurrentThread(mask);
        }

        @Override
        public CpuSet getCurrentThread() throws AffinityException {
            check("sched_getaffinity");
            return kernel.getCurrentThread();
        }

        @Override
        public void setThread(int nativeThreadId, CpuSet mask) throws AffinityException {
            check("sched_setaffinity");
            kernelCalls.incrementAndGet();
            kernel.setThread(nativeThreadId, mask);
        }

        @Override
        public CpuSet getThread(int nativeThreadId) throws AffinityException {
            check("sched_getaffinity");
            return kernel.getThread(nativeThreadId);
        }

        @Override
        public int currentThreadId() {
            check("gettid");
            return kernel.currentThreadId();
        }
    }

    private static int sum(int[] a) {
        return Arrays.stream(a).sum();
    }

    private static int max(int[] a) {
        return Arrays.stream(a).max().orElse(0);
    }

    private static int min(int[] a) {
        return Arrays.stream(a).min().orElse(0);
    }
}
