package io.affinityagent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.OnError;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.config.WhenHeld;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.hostlock.FakeHostLocks;
import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.WorkerRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An exclusive rule through the engine, on the real kernel, with the host-wide locks in memory:
 * pins only on CPUs it could lock, leaves a worker unpinned when all are held, pins a waiting
 * one when a CPU frees, and lets go of its locks as workers exit, at a re-plan and at detach.
 */
class ExclusiveRuleTest {

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    private final CountDownLatch end = new CountDownLatch(1);
    private final FakeHostLocks locks = new FakeHostLocks();
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private CpuAffinity kernel;
    private CpuSet processCpus;
    private int cpuA;
    private int cpuB;

    @BeforeEach
    void kernel() throws Exception {
        kernel = CpuAffinities.load(NativeCalls.class);
        processCpus = ProcFs.system().selfAllowedCpus();
        cpuA = processCpus.nth(0);
        cpuB = processCpus.nth(1);
    }

    @AfterEach
    void shutdown() {
        end.countDown();
        pool.shutdownNow();
    }

    private AgentConfig config(WhenHeld whenHeld) {
        Rule rule = new Rule("orders", new ThreadNameGlob("order-*"), null, null, null, CpuSet.of(cpuA, cpuB),
                Strategy.ROUND_ROBIN, false, true, whenHeld);
        return new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rule), OnError.WARN, LogLevel.INFO, processCpus);
    }

    private PinningEngine engine(WhenHeld whenHeld) {
        WorkerRegistry registry = new WorkerRegistry();
        AgentLog log = new AgentLog(LogLevel.INFO, () -> new PrintStream(said, true, StandardCharsets.UTF_8));
        PinningEngine engine = new PinningEngine(registry, new PinExecutor(kernel, registry, log), TestEngines.NO_HOOKS,
                io.affinityagent.jdk.ThreadDiscovery.NONE);
        engine.setHostLocks(locks);
        engine.replan(config(whenHeld), ReplanReason.ATTACH); // as the agent starts it
        return engine;
    }

    private Thread worker(PinningEngine engine, String name, CountDownLatch exit) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            engine.onWorkerStart(pool, Thread.currentThread());
            started.countDown();
            try {
                exit.await();
            } catch (InterruptedException ignored) {
                // the test is over
            }
            engine.onWorkerExit(Thread.currentThread());
        }, name);
        t.start();
        started.await();
        return t;
    }

    private CpuSet maskOf(PinningEngine engine, Thread t) throws Exception {
        return kernel.getThread(engine.registry().get(t) != null ? engine.registry().get(t).nativeThreadId() : -1);
    }

    @Test
    void pinsOnlyOnCpusItLockedAndGivesThemBackAsWorkersExit() throws Exception {
        locks.elsewhere.add(cpuA);
        PinningEngine engine = engine(WhenHeld.WAIT);
        CountDownLatch exit = new CountDownLatch(1);
        Thread w = worker(engine, "order-1", exit);
        assertThat(maskOf(engine, w)).isEqualTo(CpuSet.of(cpuB));
        assertThat(locks.heldHere()).isEqualTo(CpuSet.of(cpuB));
        exit.countDown();
        w.join();
        assertThat(locks.heldHere()).as("its last worker exited").isEqualTo(CpuSet.empty());
    }

    @Test
    void aWaitingWorkerRunsUnpinnedUntilACpuFreesThenIsPinnedAndDetachLetsGo() throws Exception {
        locks.elsewhere.add(cpuA);
        locks.elsewhere.add(cpuB);
        PinningEngine engine = engine(WhenHeld.WAIT);
        Thread w = worker(engine, "order-1", end);
        assertThat(engine.registry().get(w)).as("not placed").isNull();
        assertThat(engine.waitingCount()).isEqualTo(1);
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("rule orders: every CPU of the rule", "\"order-1\" runs"
                + " unpinned", "(when-held = wait)");

        engine.retryWaiting();
        assertThat(engine.waitingCount()).as("still held: waits on").isEqualTo(1);
        locks.elsewhere.remove(cpuB);
        engine.retryWaiting();
        assertThat(engine.waitingCount()).isZero();
        assertThat(maskOf(engine, w)).isEqualTo(CpuSet.of(cpuB));
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("rule orders: CPU " + cpuB + " freed; \"order-1\" pinned to it");

        int tid = engine.registry().get(w).nativeThreadId();
        ReplanOutcome detached = engine.detach();
        assertThat(detached.released()).isEqualTo(1);
        assertThat(locks.heldHere()).isEqualTo(CpuSet.empty());
        assertThat(kernel.getThread(tid)).isEqualTo(processCpus);
    }

    @Test
    void aCpuAReplanKeepsStaysLockedAndUnpinnedDoesNotWait() throws Exception {
        PinningEngine engine = engine(WhenHeld.UNPINNED);
        Thread w = worker(engine, "order-1", end);
        CpuSet first = maskOf(engine, w);
        assertThat(first.size()).isEqualTo(1);
        ReplanOutcome kept = engine.replan(config(WhenHeld.UNPINNED), ReplanReason.CPUSET_CHANGE);
        assertThat(kept.pinned()).isEqualTo(1);
        assertThat(locks.heldHere()).as("the CPU a new plan keeps stays locked").isEqualTo(first);

        // Every CPU held by other processes (as if this JVM had lost its lock too): a new worker runs unpinned, not waiting.
        locks.elsewhere.add(cpuA);
        locks.elsewhere.add(cpuB);
        locks.release(first.first());
        Thread second = worker(engine, "order-2", end);
        assertThat(engine.registry().get(second)).isNull();
        assertThat(engine.waitingCount()).isZero();
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("\"order-2\" runs unpinned", "(when-held = unpinned)");
    }

    @Test
    void shareSaysSoAndPinsBesideTheHolderWithoutALock() throws Exception {
        locks.elsewhere.add(cpuA);
        locks.elsewhere.add(cpuB);
        PinningEngine engine = engine(WhenHeld.SHARE);
        Thread w = worker(engine, "order-1", end);
        CpuSet mask = maskOf(engine, w);
        assertThat(mask.size()).isEqualTo(1);
        assertThat(locks.heldHere()).isEqualTo(CpuSet.empty());
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("\"order-1\" is pinned to CPU " + mask
                + " beside the holder, without a lock (when-held = share)");
    }
}
