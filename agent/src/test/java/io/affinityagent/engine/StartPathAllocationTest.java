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
import io.affinityagent.jdk.HookHandlers;
import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.HookTimes;
import io.affinityagent.registry.WorkerRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the start hooks allocate on a new thread, through the real handlers, the real kernel and
 * the JVM's own count of the bytes a thread allocated. A thread's first allocation sets up its
 * allocation buffer, which its task would pay anyway; when the agent allocates first, the agent's
 * clock pays it instead. So nothing at all, also for a worker the agent pins: its record is made
 * by the thread that starts it (the parent's hooks run here on the measured thread, before the
 * measured step, as stand-ins for the parent's).
 */
class StartPathAllocationTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 1_000;

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    private final ForkJoinPool forkJoinPool = new ForkJoinPool(1, p -> {
        ForkJoinWorkerThread w = new ForkJoinWorkerThread(p) { };
        w.setName("start-1");
        return w;
    }, null, false);
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private CpuAffinity kernel;
    private CpuSet processCpus;

    @BeforeEach
    void kernel() throws Exception {
        kernel = CpuAffinities.load(NativeCalls.class);
        processCpus = ProcFs.system().selfAllowedCpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(),
                "this JVM does not count the bytes a thread allocates");
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
        forkJoinPool.shutdownNow();
    }

    /** Pinned to the process's CPUs: the whole start path, system call included, and no move. */
    private HookHandlers handlers(String glob, PoolKind kind) {
        Rule rule = new Rule("start", new ThreadNameGlob(glob), kind, null, null, processCpus, Strategy.SHARED);
        Plan plan = Plan.of(new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rule), OnError.WARN,
                LogLevel.INFO, processCpus));
        WorkerRegistry registry = new WorkerRegistry();
        AgentLog quiet = new AgentLog(LogLevel.INFO, () -> new PrintStream(OutputStream.nullOutputStream()));
        PinningEngine engine = TestEngines.started(plan, registry, kernel, quiet);
        engine.setObserver(io.affinityagent.jfr.EngineEvents.forThisJvm(engine)); // as the agent runs: JFR events, no recording
        return HookEvents.handlers(engine, new HookTimes());
    }

    interface Step {
        void run(Thread self);
    }

    /** Bytes {@code measured} allocated per call on one thread, after {@code WARM_UP} rounds of {@code before} and it. */
    private long bytesPerCall(Step before, Step measured) throws InterruptedException {
        return bytesPerCall(before, measured, false);
    }

    /** The same, on a ForkJoin worker when {@code forkJoinWorker}, else on a plain thread: every byte of every call counts. */
    private long bytesPerCall(Step before, Step measured, boolean forkJoinWorker) throws InterruptedException {
        long sum = 0;
        for (long b : bytesOfEachCall(before, measured, forkJoinWorker)) {
            sum += b;
        }
        return sum / MEASURED;
    }

    /**
     * The bytes {@code measured} allocates on most calls: what it allocates every time, without
     * what a call now and then adds (the JIT recompiling under load, a buffer refilled).
     */
    private long typicalBytesPerCall(Step before, Step measured) throws InterruptedException {
        long[] each = bytesOfEachCall(before, measured, false);
        java.util.Arrays.sort(each);
        return each[MEASURED / 2];
    }

    /** The bytes each of {@code MEASURED} calls of {@code measured} allocated, after {@code WARM_UP} rounds of {@code before} and it. */
    private long[] bytesOfEachCall(Step before, Step measured, boolean forkJoinWorker) throws InterruptedException {
        long[] each = new long[MEASURED];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable body = () -> {
            try {
                Thread self = Thread.currentThread();
                for (int i = 0; i < WARM_UP; i++) {
                    before.run(self);
                    measured.run(self);
                }
                for (int i = 0; i < MEASURED; i++) {
                    before.run(self);
                    long b0 = threads.getCurrentThreadAllocatedBytes();
                    measured.run(self);
                    each[i] = threads.getCurrentThreadAllocatedBytes() - b0;
                }
                long b0 = threads.getCurrentThreadAllocatedBytes();
                long empty = threads.getCurrentThreadAllocatedBytes() - b0;
                for (int i = 0; i < MEASURED; i++) {
                    each[i] -= empty;
                }
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                try {
                    kernel.setCurrentThread(processCpus);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        if (forkJoinWorker) {
            onForkJoinWorker(body);
        } else {
            Thread t = new Thread(body, "start-1");
            t.start();
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return each;
    }

    /** Runs {@code body} on the one worker, named start-1, of {@link #forkJoinPool}. */
    private void onForkJoinWorker(Runnable body) throws InterruptedException {
        try {
            forkJoinPool.submit(body).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    @Test
    void aPoolWorkersPassThroughThreadRunAllocatesNothing() throws Exception {
        HookHandlers h = handlers("start-*", PoolKind.THREAD_POOL);
        long bytes = bytesPerCall(self -> h.poolWorkerCreated().accept(self), self -> h.threadRun().accept(self));

        assertThat(bytes).isZero();
    }

    /**
     * A ThreadPoolExecutor worker the agent pins allocates nothing: its record and registry entry
     * were made when its pool made it (the Worker's constructor, on the thread adding the
     * worker), its facts go into a scratch object, its id into a set that does not allocate (250
     * bytes before: the record, its facts, the registry's key and node, the pinned id's entry).
     */
    @Test
    void aPoolWorkerStartPinnedWithNoMoveAllocatesNothing() throws Exception {
        HookHandlers h = handlers("start-*", PoolKind.THREAD_POOL);
        long bytes = bytesPerCall(self -> {
            h.workerExit().accept(self);
            h.poolWorkerCreated().accept(self);
        }, self -> h.workerStart().accept(pool, self));

        assertThat(bytes).isZero();
    }

    /**
     * Where no hook of the parent made its record (its pool made it with the agent not active
     * yet): the record only. Its size is this JVM's (headers, compressed pointers), so it is
     * measured here, made as the pool's hook makes it.
     */
    @Test
    void aPoolWorkerStartPinnedWithNothingPreparedAllocatesItsRecordOnly() throws Exception {
        HookHandlers h = handlers("start-*", PoolKind.THREAD_POOL);
        long record = typicalBytesPerCall(self -> h.workerExit().accept(self), self -> h.poolWorkerCreated().accept(self));
        long start = typicalBytesPerCall(self -> h.workerExit().accept(self), self -> h.workerStart().accept(pool, self));

        assertThat(record).as("a blank record").isPositive();
        assertThat(start).as("the start, which made its record").isEqualTo(record);
    }

    /** A ForkJoin worker the agent pins allocates nothing: its record was made by Thread.start's hook on the parent. */
    @Test
    void aForkJoinWorkerStartPinnedWithNoMoveAllocatesNothing() throws Exception {
        HookHandlers h = handlers("start-*", PoolKind.FORK_JOIN);
        long bytes = bytesPerCall(self -> {
            h.workerExit().accept(self);
            h.threadStart().accept(self);
        }, self -> h.workerStart().accept(forkJoinPool, self), true);

        assertThat(bytes).isZero();
    }

    @Test
    void aWorkerNoRuleMatchesAllocatesNothing() throws Exception {
        HookHandlers h = handlers("other-*", PoolKind.THREAD_POOL);
        long bytes = bytesPerCall(self -> { }, self -> h.workerStart().accept(pool, self));

        assertThat(bytes).isZero();
    }

    /** A plain thread an any-thread rule pins allocates nothing: its record was made by Thread.start's hook on the parent. */
    @Test
    void aPlainThreadPinnedWithNoMoveAllocatesNothing() throws Exception {
        HookHandlers h = handlers("start-*", PoolKind.ANY_THREAD);
        long bytes = bytesPerCall(self -> {
            h.workerExit().accept(self);
            h.threadStart().accept(self);
        }, self -> h.threadRun().accept(self));

        assertThat(bytes).isZero();
    }

    @Test
    void aThreadNoRuleMatchesAllocatesNothing() throws Exception {
        HookHandlers h = handlers("other-*", PoolKind.ANY_THREAD);
        long bytes = bytesPerCall(self -> { }, self -> h.threadRun().accept(self));

        assertThat(bytes).isZero();
    }
}
