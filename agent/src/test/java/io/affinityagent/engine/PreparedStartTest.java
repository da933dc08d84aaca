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
import io.affinityagent.registry.WorkerRecord;
import io.affinityagent.registry.WorkerRegistry;
import io.affinityagent.testing.Await;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker's record is made by the thread that starts it, before the worker runs; the decision is
 * still the worker's, with the plan in force when it starts. What the parent made is memory only:
 * a re-plan or a detach in between, or a thread that never runs, changes nothing.
 */
class PreparedStartTest {

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    private final WorkerRegistry registry = new WorkerRegistry();
    private CpuAffinity kernel;
    private CpuSet processCpus;
    private PinningEngine engine;

    @BeforeEach
    void engine() throws Exception {
        kernel = CpuAffinities.load(NativeCalls.class);
        processCpus = ProcFs.system().selfAllowedCpus();
        AgentLog quiet = new AgentLog(LogLevel.INFO, () -> new PrintStream(OutputStream.nullOutputStream()));
        engine = TestEngines.started(Plan.of(config("start-*")), registry, kernel, quiet);
    }

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    /** Every CPU of the process, shared: pinned without a move, and the mask is the process's again. */
    private AgentConfig config(String glob) {
        Rule rule = new Rule("start", new ThreadNameGlob(glob), PoolKind.THREAD_POOL, null, null, processCpus,
                Strategy.SHARED);
        return new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rule), OnError.WARN, LogLevel.INFO,
                processCpus);
    }

    /** Made by this thread as a pool would, then, after {@code meanwhile}, started: what the registry has of it. */
    private WorkerRecord preparedThenStarted(Runnable meanwhile) throws InterruptedException {
        AtomicReference<WorkerRecord> placed = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            engine.onWorkerStart(pool, Thread.currentThread());
            placed.set(registry.get(Thread.currentThread()));
            engine.onWorkerExit(Thread.currentThread());
        }, "start-1");
        engine.onPoolWorkerCreated(worker);
        engine.onThreadStart(worker);
        meanwhile.run();
        worker.start();
        worker.join();
        return placed.get();
    }

    @Test
    void aPreparedWorkerIsPlacedWithItsRecordFilledAndItsNativeIdFromThePin() throws Exception {
        WorkerRecord record = preparedThenStarted(() -> { });

        assertThat(record).isNotNull();
        assertThat(record.state()).isEqualTo(WorkerRecord.PinState.PINNED);
        assertThat(record.threadName()).isEqualTo("start-1");
        assertThat(record.pool()).isSameAs(pool);
        assertThat(record.nativeThreadId()).isPositive().isNotEqualTo(ProcFs.system().currentThreadId());
        assertThat(registry.size()).isZero();
        assertThat(registry.anyPinned()).isFalse();
    }

    @Test
    void aWorkerPreparedUnderOnePlanIsDecidedByThePlanInForceWhenItStarts() throws Exception {
        WorkerRecord record = preparedThenStarted(() -> engine.replan(config("other-*"), ReplanReason.JMX));

        assertThat(record).isNull();
        assertThat(registry.counters("start").matched()).isZero();
    }

    @Test
    void aPreparedWorkerStartingAfterADetachIsLeftAlone() throws Exception {
        WorkerRecord record = preparedThenStarted(() -> engine.detach());

        assertThat(record).isNull();
        assertThat(registry.size()).isZero();
    }

    @Test
    void aThreadPreparedButNeverStartedIsNotKeptAlive() {
        WeakReference<Thread> never = prepareAndDrop();

        Await.untilCollected("the thread prepared and never started to be collected", Duration.ofSeconds(20),
                () -> registry.size() == 0 && never.get() == null);
    }

    private WeakReference<Thread> prepareAndDrop() {
        Thread t = new Thread(() -> { }, "start-never");
        engine.onPoolWorkerCreated(t);
        engine.onThreadStart(t);
        return new WeakReference<>(t);
    }
}
