package io.affinityagent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.OnError;
import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import io.affinityagent.os.UnsupportedCpuAffinity;
import io.affinityagent.jdk.HookHandlers;
import io.affinityagent.jdk.ThreadClassifier;
import io.affinityagent.registry.HookTimes;
import io.affinityagent.registry.WorkerRecord;
import io.affinityagent.registry.WorkerRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Properties;
import io.affinityagent.registry.StatusPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PinningEngineTest {

    /** A subclass, as applications write them. */
    static final class OrderExecutor extends ThreadPoolExecutor {
        OrderExecutor() {
            super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private static CpuAffinity affinity;
    private static CpuSet processCpus;
    private static int pinCpu;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream logStream = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private final ThreadPoolExecutor tpe = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());

    @BeforeAll
    static void loadAffinity() throws Exception {
        affinity = CpuAffinities.load(NativeCalls.class);
        assertThat(affinity.isSupported()).as(String.valueOf(affinity.unsupportedReason())).isTrue();
        processCpus = ProcFs.system().selfAllowedCpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(processCpus.size() >= 2,
                "these tests need two CPUs; the process may use only CPU " + processCpus);
        pinCpu = processCpus.nth(1);
    }

    @AfterEach
    void shutdown() {
        tpe.shutdownNow();
    }

    private AgentLog log(LogLevel level) {
        return new AgentLog(level, () -> logStream);
    }

    private String logText() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private static Plan plan(Rule... rules) {
        return Plan.of(new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rules), OnError.WARN,
                LogLevel.INFO, processCpus));
    }

    private static Rule ordersOn(CpuSet cpus) {
        return new Rule("orders", new ThreadNameGlob("order-*"), PoolKind.THREAD_POOL, null, null, cpus,
                Strategy.ROUND_ROBIN);
    }

    /** Runs {@code body} on a new thread of that name, then gives the thread the process mask back. */
    private static void asWorker(String name, Body body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                try {
                    affinity.setCurrentThread(processCpus);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }
        }, name);
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(t.isAlive()).isFalse();
        if (failure.get() != null) {
            throw new AssertionError(name + " failed", failure.get());
        }
    }

    @Test
    void kindOfThreadPoolExecutorAndSubclasses() {
        ScheduledThreadPoolExecutor scheduled = new ScheduledThreadPoolExecutor(1);
        try {
            assertThat(ThreadClassifier.kindOf(tpe, Thread.currentThread())).isEqualTo(PoolKind.THREAD_POOL);
            assertThat(ThreadClassifier.kindOf(scheduled, Thread.currentThread())).isEqualTo(PoolKind.THREAD_POOL);
            assertThat(ThreadClassifier.kindOf(new OrderExecutor(), Thread.currentThread())).isEqualTo(PoolKind.THREAD_POOL);
        } finally {
            scheduled.shutdownNow();
        }
    }

    @Test
    void kindOfForkJoinPools() {
        ForkJoinPool own = new ForkJoinPool(1);
        try {
            assertThat(ThreadClassifier.kindOf(own, Thread.currentThread())).isEqualTo(PoolKind.FORK_JOIN);
            assertThat(ThreadClassifier.kindOf(ForkJoinPool.commonPool(), Thread.currentThread()))
                    .isEqualTo(PoolKind.COMMON_POOL);
        } finally {
            own.shutdownNow();
        }
    }

    @Test
    void kindOfAnythingElseIsNone() {
        assertThat(ThreadClassifier.kindOf(new Object(), Thread.currentThread())).isNull();
    }

    @Test
    void platformThreadsAreNotVirtual() {
        assertThat(ThreadClassifier.isVirtual(Thread.currentThread())).isFalse();
    }

    @Test
    void matchedWorkerIsPinnedRecordedAndGivesItsSlotBackOnExit() throws Exception {
        WorkerRegistry registry = new WorkerRegistry();
        Plan plan = plan(ordersOn(CpuSet.of(pinCpu)));
        Properties published = new Properties();
        PinningEngine pinner = TestEngines.started(plan, registry, affinity, log(LogLevel.DEBUG));
        io.affinityagent.agent.LiveStatus status = TestEngines.statusOf(pinner, published);

        asWorker("order-1", () -> {
            Thread me = Thread.currentThread();
            pinner.onWorkerStart(tpe, me);
            status.writeLiveLines();

            assertThat(affinity.getCurrentThread()).isEqualTo(CpuSet.of(pinCpu));
            WorkerRecord r = registry.get(me);
            assertThat(r).isNotNull();
            assertThat(r.state()).isEqualTo(WorkerRecord.PinState.PINNED);
            assertThat(r.rule().name()).isEqualTo("orders");
            assertThat(r.poolKind()).isEqualTo(PoolKind.THREAD_POOL);
            assertThat(r.pool()).isSameAs(tpe);
            assertThat(r.nativeThreadId()).isEqualTo(ProcFs.system().currentThreadId());
            assertThat(plan.rule("orders").placement().loads()).containsExactly(1);
            assertThat(published.getProperty(StatusPublisher.THREAD + r.nativeThreadId()))
                    .isEqualTo("orders " + pinCpu + " order-1");
            assertThat(published.getProperty(StatusPublisher.RULE + "orders")).contains("loads=1 ", "pinned=1 ");

            pinner.onWorkerExit(me);
            status.writeLiveLines();
            assertThat(registry.get(me)).isNull();
            assertThat(plan.rule("orders").placement().loads()).containsExactly(0);
            assertThat(published.getProperty(StatusPublisher.THREAD + r.nativeThreadId())).isNull();
            assertThat(published.getProperty(StatusPublisher.RULE + "orders")).contains("loads=0 ", "exited=1");
        });

        assertThat(registry.counters("orders").pinned()).isEqualTo(1);
        assertThat(registry.counters("orders").exited()).isEqualTo(1);
        assertThat(logText()).contains("[affinity-agent] pinned \"order-1\"")
                .contains("thread-pool java.util.concurrent.ThreadPoolExecutor) to CPU " + pinCpu + " by rule orders");
    }

    @Test
    void theStartHooksTimeKeepsThePinCallApartFromTheAgentsOwnWork() throws Exception {
        WorkerRegistry registry = new WorkerRegistry();
        PinningEngine pinner = TestEngines.started(plan(ordersOn(CpuSet.of(pinCpu))), registry, affinity,
                log(LogLevel.INFO));
        HookTimes times = new HookTimes();
        HookHandlers handlers = HookEvents.handlers(pinner, times);
        long[] pinCalls = new long[3];
        for (int i = 0; i < pinCalls.length; i++) { // the first call is kept apart, unsplit
            int n = i;
            asWorker("order-" + i, () -> {
                Thread me = Thread.currentThread();
                handlers.workerStart().accept(tpe, me);
                pinCalls[n] = registry.get(me).pinCallNanos();
                handlers.workerExit().accept(me);
            });
        }

        assertThat(java.util.Arrays.stream(pinCalls).min().getAsLong()).as("each pin's system call timed").isPositive();
        assertThat(times.laterCalls(HookTimes.Hook.WORKER_START)).isEqualTo(2);
        assertThat(times.laterPinNanos(HookTimes.Hook.WORKER_START)).isEqualTo(pinCalls[1] + pinCalls[2]);
        assertThat(times.laterOwnNanos(HookTimes.Hook.WORKER_START))
                .isEqualTo(times.laterNanos(HookTimes.Hook.WORKER_START) - pinCalls[1] - pinCalls[2]);
        assertThat(times.laterPinNanos(HookTimes.Hook.WORKER_EXIT)).as("an exit pins nothing").isZero();
    }

    @Test
    void statusWrittenOnReadIsUntouchedByStartsAndExitsAndExactWhenRefreshed() throws Exception {
        WorkerRegistry registry = new WorkerRegistry();
        Plan plan = plan(ordersOn(CpuSet.of(pinCpu)));
        Properties published = new Properties();
        published.setProperty(StatusPublisher.THREAD + "999999", "orders 0 a-worker-of-an-earlier-read");
        published.setProperty("java.home", "/kept");
        PinningEngine pinner = TestEngines.started(plan, registry, affinity, log(LogLevel.INFO));
        HookTimes times = new HookTimes();
        HookHandlers handlers = HookEvents.handlers(pinner, times);
        io.affinityagent.agent.LiveStatus status = new io.affinityagent.agent.LiveStatus(new StatusPublisher(published),
                pinner, times, null);

        asWorker("order-1", () -> {
            Thread me = Thread.currentThread();
            handlers.workerStart().accept(tpe, me);
            int tid = registry.get(me).nativeThreadId();
            assertThat(published.getProperty(StatusPublisher.THREAD + tid)).as("nothing written at start").isNull();
            assertThat(published.getProperty(StatusPublisher.RULE + "orders")).isNull();

            status.writeLiveLines();
            assertThat(published.getProperty(StatusPublisher.THREAD + tid)).isEqualTo("orders " + pinCpu + " order-1");
            assertThat(published.getProperty(StatusPublisher.HOOK_TIME)).as("the start handler timed itself")
                    .matches("worker-start=\\d+/0/0/0");
            assertThat(published.getProperty(StatusPublisher.THREAD + "999999")).as("stale line dropped").isNull();
            assertThat(published.getProperty(StatusPublisher.RULE + "orders")).contains("loads=1 ", "pinned=1 ");

            handlers.workerExit().accept(me);
            assertThat(published.getProperty(StatusPublisher.THREAD + tid)).as("nothing written at exit").isNotNull();
            status.writeLiveLines();
            assertThat(published.getProperty(StatusPublisher.THREAD + tid)).isNull();
            assertThat(published.getProperty(StatusPublisher.RULE + "orders")).contains("loads=0 ", "exited=1");
        });
        assertThat(published.getProperty("java.home")).as("other properties are left alone").isEqualTo("/kept");

        pinner.detach();
        status.writeLiveLines();
        assertThat(published.stringPropertyNames()).noneMatch(k -> k.startsWith(StatusPublisher.RULE));
    }

    @Test
    void unmatchedWorkerIsLeftAlone() throws Exception {
        WorkerRegistry registry = new WorkerRegistry();
        PinningEngine pinner = TestEngines.started(plan(ordersOn(CpuSet.of(pinCpu))), registry, affinity, log(LogLevel.DEBUG));

        asWorker("batch-1", () -> {
            pinner.onWorkerStart(tpe, Thread.currentThread());
            assertThat(affinity.getCurrentThread()).isEqualTo(processCpus);
        });
        asWorker("order-1", () -> {
            pinner.onWorkerStart(new Object(), Thread.currentThread()); // not a pool
            pinner.onWorkerStart(null, Thread.currentThread());
            assertThat(affinity.getCurrentThread()).isEqualTo(processCpus);
        });

        assertThat(registry.size()).isZero();
        assertThat(logText()).isEmpty();
    }

    @Test
    void startOfAnotherThreadOrWithoutAPlanIsIgnored() throws Exception {
        WorkerRegistry registry = new WorkerRegistry();
        PinningEngine pinner = TestEngines.started(plan(ordersOn(CpuSet.of(pinCpu))), registry, affinity, log(LogLevel.INFO));

        asWorker("order-1", () -> {
            pinner.onWorkerStart(tpe, new Thread("order-2"));
            pinner.detach();
            pinner.onWorkerStart(tpe, Thread.currentThread());
            assertThat(affinity.getCurrentThread()).isEqualTo(processCpus);
        });

        assertThat(pinner.plan()).isNull();
        assertThat(registry.size()).isZero();
    }

    @Test
    void failedPinIsCountedAndWarnedOncePerRuleAndReason() throws Exception {
        WorkerRegistry registry = new WorkerRegistry();
        Plan plan = plan(ordersOn(CpuSet.range(0, 1)));
        PinningEngine pinner = TestEngines.started(plan, registry, new UnsupportedCpuAffinity("no pinning here"), log(LogLevel.INFO));

        for (String name : new String[] {"order-1", "order-2", "order-3"}) {
            asWorker(name, () -> {
                pinner.onWorkerStart(tpe, Thread.currentThread());
                WorkerRecord r = registry.get(Thread.currentThread());
                assertThat(r.state()).isEqualTo(WorkerRecord.PinState.FAILED);
                assertThat(r.failure()).isEqualTo("no pinning here");
                pinner.onWorkerExit(Thread.currentThread());
            });
        }

        assertThat(registry.counters("orders").failed()).isEqualTo(3);
        assertThat(registry.counters("orders").pinned()).isZero();
        assertThat(logText().lines()).singleElement().asString()
                .startsWith("[affinity-agent] warning: rule orders: cannot pin \"order-1\": no pinning here");
        assertThat(plan.rule("orders").placement().loads()).containsExactly(0, 0);
    }
}
