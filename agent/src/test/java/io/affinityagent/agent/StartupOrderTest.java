package io.affinityagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.OnError;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.control.ControlChannel;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.jdk.HookHandlers;
import io.affinityagent.jdk.HookInstallation;
import io.affinityagent.jdk.OneRunningThread;
import io.affinityagent.jdk.RunningThread;
import io.affinityagent.jdk.ThreadDiscovery;
import io.affinityagent.jdk.ThreadDump;
import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.WorkerRecord;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order in which the agent starts at JVM start, on its background thread: a worker that
 * starts the moment the hooks are in, before the plan is ready, passes its hook unpinned and is
 * placed by the sweep that makes the plan active, and the first-pin work (hooking
 * java.lang.Thread, so that masks a pinned thread passes on are seen) is done before that pin.
 * Before the engine, that work was handed over after the hooks were installed: a worker starting
 * in between used it up with nothing to run, and Thread was never hooked.
 */
class StartupOrderTest {

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    private final CountDownLatch testOver = new CountDownLatch(1);

    @AfterEach
    void shutdown() {
        testOver.countDown();
        pool.shutdownNow();
    }

    /** The JDK's hooks, as the agent sees them; a worker starts inside install() and keeps running. */
    private final class HooksWithAWorkerInTheWindow implements HookInstallation {
        final List<String> calls = new ArrayList<>();
        final AtomicReference<WorkerRecord> pinnedAtItsStart = new AtomicReference<>();
        final CpuAffinity kernel;
        Agent agent;
        Thread worker;
        volatile int workerTid;

        HooksWithAWorkerInTheWindow(CpuAffinity kernel) {
            this.kernel = kernel;
        }

        @Override
        public List<String> install(HookHandlers handlers, boolean hookThreadsNow) {
            calls.add("install");
            CountDownLatch started = new CountDownLatch(1);
            worker = new Thread(() -> {
                workerTid = kernel.currentThreadId();
                handlers.workerStart().accept(pool, Thread.currentThread());
                pinnedAtItsStart.set(agent.engine().registry().get(Thread.currentThread()));
                started.countDown();
                try {
                    testOver.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "order-1");
            worker.setDaemon(true);
            worker.start();
            try {
                started.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            calls.add("installed");
            return List.of();
        }

        @Override
        public synchronized List<String> hookThreads() {
            calls.add("hookThreads");
            return List.of();
        }
    }

    @Test
    void aWorkerStartingBeforeThePlanIsReadyIsPinnedByTheSweepAfterThreadIsHooked() throws Exception {
        CpuAffinity kernel = CpuAffinities.load(NativeCalls.class);
        CpuSet processCpus = ProcFs.system().selfAllowedCpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(processCpus.size() >= 2,
                "a pin that moves the worker needs two CPUs; this process may use " + processCpus);
        CpuSet second = CpuSet.of(processCpus.nth(1));
        Rule orders = new Rule("orders", new ThreadNameGlob("order-*"), null, null, null, second, Strategy.ROUND_ROBIN);
        AgentConfig config = new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(orders), OnError.WARN,
                LogLevel.INFO, processCpus);
        HooksWithAWorkerInTheWindow hooks = new HooksWithAWorkerInTheWindow(kernel);
        AgentLog quiet = new AgentLog(LogLevel.QUIET, () -> new PrintStream(OutputStream.nullOutputStream()));
        ThreadDiscovery theWorker = new ThreadDiscovery() { // what the JDK would report once the worker runs
            @Override
            public List<RunningThread> running() {
                return new OneRunningThread(hooks.worker, pool, hooks.workerTid).running();
            }

            @Override
            public ThreadDump threadDump() {
                return new OneRunningThread(hooks.worker, pool, hooks.workerTid).threadDump();
            }
        };
        hooks.agent = new Agent(quiet, config, kernel, ControlChannel.loadingTheAgent(new Properties()),
                new Agent.Hooks(hooks, theWorker));

        hooks.agent.startInBackground();

        assertThat(hooks.pinnedAtItsStart.get()).as("the worker's own hook, before the plan: nothing").isNull();
        WorkerRecord swept = hooks.agent.engine().registry().get(hooks.worker);
        assertThat(swept).as("the worker in the window, placed by the sweep").isNotNull();
        assertThat(swept.state()).isEqualTo(WorkerRecord.PinState.PINNED);
        assertThat(ProcFs.system().threadAllowedCpus(ProcFs.system().selfPid(), hooks.workerTid)).isEqualTo(second);
        assertThat(hooks.calls).as("Thread hooked before that first pin").containsExactly("install", "installed",
                "hookThreads");
    }

    @Test
    void theStartsLastStepHooksThreadWithNoThreadPinnedYet() throws Exception {
        // That BackgroundStart takes this step before any worker starts: StartupFootprintIT.
        CpuAffinity kernel = CpuAffinities.load(NativeCalls.class);
        Rule orders = new Rule("orders", new ThreadNameGlob("order-*"), null, null, null,
                CpuSet.of(ProcFs.system().selfAllowedCpus().first()), Strategy.ROUND_ROBIN);
        AgentConfig config = new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(orders), OnError.WARN,
                LogLevel.INFO, ProcFs.system().selfAllowedCpus());
        List<String> calls = new ArrayList<>();
        HookInstallation hooks = new HookInstallation() {
            @Override
            public List<String> install(HookHandlers handlers, boolean hookThreadsNow) {
                calls.add("install");
                return List.of();
            }

            @Override
            public List<String> hookThreads() {
                calls.add("hookThreads");
                return List.of();
            }
        };
        AgentLog quiet = new AgentLog(LogLevel.QUIET, () -> new PrintStream(OutputStream.nullOutputStream()));
        Agent agent = new Agent(quiet, config, kernel, ControlChannel.loadingTheAgent(new Properties()),
                new Agent.Hooks(hooks, ThreadDiscovery.NONE));

        agent.startInBackground();
        agent.prepareFirstPin(); // what BackgroundStart does last

        assertThat(agent.engine().registry().workers()).as("nothing pinned").isEmpty();
        assertThat(calls).as("Thread hooked by the start, before any pin").containsExactly("install", "hookThreads");
    }
}
