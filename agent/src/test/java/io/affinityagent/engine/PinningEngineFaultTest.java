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
import io.affinityagent.registry.StatusPublisher;
import io.affinityagent.registry.WorkerRecord;
import io.affinityagent.registry.WorkerRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults on a worker's start, at the unit level: the OS layer refuses a mask, or something in the
 * agent's own code throws. The worker runs unpinned, nothing reaches the caller (the pool), each
 * rule warns once with the reason, the counters say so, and no slot is lost. (The integration
 * tests make the real kernel refuse, through a cpuset.)
 */
class PinningEngineFaultTest {

    private static CpuAffinity kernel;
    private static CpuSet processCpus;
    private static int cpuA;
    private static int cpuB;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final AgentLog log = new AgentLog(LogLevel.INFO, () -> new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    private final WorkerRegistry registry = new WorkerRegistry();
    private final Properties published = new Properties();

    @BeforeAll
    static void loadKernel() throws Exception {
        kernel = CpuAffinities.load(NativeCalls.class);
        assertThat(kernel.isSupported()).as(String.valueOf(kernel.unsupportedReason())).isTrue();
        processCpus = ProcFs.system().selfAllowedCpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(processCpus.size() >= 2,
                "these tests need two CPUs; the process may use only CPU " + processCpus);
        cpuA = processCpus.nth(0);
        cpuB = processCpus.nth(1);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** The real kernel, except that the chosen CPU "left the cpuset": masks with it fail as the kernel fails them. */
    static final class CpuLeftTheCpuset extends Delegating {
        private final int gone;

        CpuLeftTheCpuset(CpuAffinity kernel, int gone) {
            super(kernel);
            this.gone = gone;
        }

        @Override
        public void setCurrentThread(CpuSet mask) throws AffinityException {
            if (mask.contains(gone) && mask.size() == 1) {
                throw new AffinityException("sched_setaffinity(this thread, CPUs " + mask + ") failed: none of CPUs " + mask
                        + " is one this thread may use (EINVAL): offline, or outside the process's cpuset", 22);
            }
            super.setCurrentThread(mask);
        }
    }

    /** The real kernel behind an OS layer with a bug: one of its calls throws. */
    static final class Broken extends Delegating {
        private final boolean onPin;
        private final boolean onThreadId;

        Broken(CpuAffinity kernel, boolean onPin, boolean onThreadId) {
            super(kernel);
            this.onPin = onPin;
            this.onThreadId = onThreadId;
        }

        @Override
        public void setCurrentThread(CpuSet mask) throws AffinityException {
            if (onPin) {
                throw new IllegalStateException("a bug in the OS layer");
            }
            super.setCurrentThread(mask);
        }

        @Override
        public int currentThreadId() {
            if (onThreadId) {
                throw new UnsupportedOperationException("no thread ids today");
            }
            return super.currentThreadId();
        }
    }

    private PinningEngine pinner(CpuAffinity affinity, Rule... rules) {
        Plan plan = Plan.of(new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rules), OnError.WARN,
                LogLevel.INFO, processCpus));
        return TestEngines.started(plan, registry, affinity, log);
    }

    /** What the agent would publish now. */
    private Properties published(PinningEngine pinner) {
        TestEngines.statusOf(pinner, published).writeLiveLines();
        return published;
    }

    private static Rule rule(String name, String glob) {
        return new Rule(name, new ThreadNameGlob(glob), null, null, null, CpuSet.of(cpuA, cpuB), Strategy.ROUND_ROBIN);
    }

    private List<String> warnings() {
        return logBytes.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }

    /** Runs a worker start on a new thread of that name, as the bridge would; returns what the kernel then says. */
    private Started start(PinningEngine pinner, String name) throws InterruptedException {
        AtomicReference<Started> out = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                pinner.onWorkerStart(pool, Thread.currentThread());
            } catch (Throwable e) {
                thrown.set(e); // what the pool would have seen
            }
            try {
                out.set(new Started(Thread.currentThread(), registry.get(Thread.currentThread()), kernel.getCurrentThread()));
            } catch (AffinityException e) {
                throw new AssertionError(e);
            }
        }, name);
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(thrown.get()).as("what %s's pool saw", name).isNull();
        return out.get();
    }

    static final class Started {
        final Thread thread;
        final WorkerRecord record;
        final CpuSet mask;

        Started(Thread thread, WorkerRecord record, CpuSet mask) {
            this.thread = thread;
            this.record = record;
            this.mask = mask;
        }
    }

    @Test
    void aRefusedMaskLeavesTheWorkerUnpinnedCountedAndWarnedOncePerRule() throws Exception {
        PinningEngine pinner = pinner(new CpuLeftTheCpuset(kernel, cpuB), rule("orders", "order-*"), rule("quotes", "quote-*"));

        List<Started> started = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            started.add(start(pinner, "order-" + i));
            started.add(start(pinner, "quote-" + i));
        }

        for (Started s : started) {
            if (s.record.slot().mask().contains(cpuB)) {
                assertThat(s.record.state()).isEqualTo(WorkerRecord.PinState.FAILED);
                assertThat(s.record.failure()).contains("EINVAL");
                assertThat(s.mask).as("%s runs where it was", s.thread.getName()).isEqualTo(processCpus);
            } else {
                assertThat(s.record.state()).isEqualTo(WorkerRecord.PinState.PINNED);
                assertThat(s.mask).isEqualTo(CpuSet.of(cpuA));
            }
        }
        for (String rule : new String[] {"orders", "quotes"}) {
            assertThat(registry.counters(rule).matched()).isEqualTo(4);
            assertThat(registry.counters(rule).pinned()).isEqualTo(2);
            assertThat(registry.counters(rule).failed()).isEqualTo(2);
            assertThat(published(pinner).getProperty(StatusPublisher.RULE + rule)).contains("loads=2,2 ", "pinned=2 ", "failed=2 ");
        }
        assertThat(warnings()).hasSize(2);
        assertThat(warnings()).anySatisfy(l -> assertThat(l).startsWith("[affinity-agent] warning: rule orders: cannot pin \"order-")
                .contains("CPUs " + cpuB, "EINVAL", "it runs unpinned"));
        assertThat(warnings()).anySatisfy(l -> assertThat(l).startsWith("[affinity-agent] warning: rule quotes: cannot pin \"quote-"));

        // The unpinned workers still hold their slots while they live, and give them back on exit.
        for (Started s : started) {
            pinner.onWorkerExit(s.thread);
        }
        assertThat(pinner.plan().rule("orders").placement().loads()).containsOnly(0);
        assertThat(pinner.plan().rule("quotes").placement().loads()).containsOnly(0);
        assertThat(registry.size()).isZero();
    }

    @Test
    void anExceptionFromTheOsLayerIsContainedCountedAndWarnedOncePerRule() throws Exception {
        PinningEngine pinner = pinner(new Broken(kernel, true, false), rule("orders", "order-*"));

        Started first = start(pinner, "order-1");
        Started second = start(pinner, "order-2");

        for (Started s : List.of(first, second)) {
            assertThat(s.mask).isEqualTo(processCpus);
            assertThat(s.record).as("the worker is still accounted for").isNotNull();
            assertThat(s.record.state()).isEqualTo(WorkerRecord.PinState.FAILED);
            assertThat(s.record.failure()).contains("IllegalStateException", "a bug in the OS layer");
        }
        assertThat(registry.counters("orders").failed()).isEqualTo(2);
        assertThat(published(pinner).getProperty(StatusPublisher.RULE + "orders")).contains("loads=1,1 ", "failed=2 ");
        assertThat(warnings()).singleElement().asString()
                .startsWith("[affinity-agent] warning: rule orders: cannot pin \"order-1\"")
                .contains("IllegalStateException: a bug in the OS layer", "it runs unpinned");

        pinner.onWorkerExit(first.thread);
        pinner.onWorkerExit(second.thread);
        assertThat(pinner.plan().rule("orders").placement().loads()).containsExactly(0, 0);
    }

    @Test
    void anExceptionBeforeThePinLosesNoSlot() throws Exception {
        PinningEngine pinner = pinner(new Broken(kernel, false, true), rule("orders", "order-*"));

        Started s = start(pinner, "order-1");

        // Pinned all the same; only its native id is unknown, so no thread entry is published.
        int[] loads = pinner.plan().rule("orders").placement().loads();
        assertThat(loads[0] + loads[1]).isEqualTo(registry.size());
        assertThat(s.record).isNotNull();
        assertThat(s.record.nativeThreadId()).isEqualTo(-1);
        assertThat(s.mask).isEqualTo(s.record.slot().mask());
        assertThat(published(pinner).stringPropertyNames()).noneMatch(k -> k.startsWith(StatusPublisher.THREAD));

        pinner.onWorkerExit(s.thread);
        assertThat(pinner.plan().rule("orders").placement().loads()).containsExactly(0, 0);
    }

    /** Forwards every call to the real kernel. */
    abstract static class Delegating implements CpuAffinity {
        private final CpuAffinity kernel;

        Delegating(CpuAffinity kernel) {
            this.kernel = kernel;
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
            kernel.setCurrentThread(mask);
        }

        @Override
        public CpuSet getCurrentThread() throws AffinityException {
            return kernel.getCurrentThread();
        }

        @Override
        public void setThread(int nativeThreadId, CpuSet mask) throws AffinityException {
            kernel.setThread(nativeThreadId, mask);
        }

        @Override
        public CpuSet getThread(int nativeThreadId) throws AffinityException {
            return kernel.getThread(nativeThreadId);
        }

        @Override
        public int currentThreadId() {
            return kernel.currentThreadId();
        }
    }
}
