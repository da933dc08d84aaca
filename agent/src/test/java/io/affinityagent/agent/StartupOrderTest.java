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
import io.affinityagent.jdk.ThreadDiscovery;
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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order in which the agent starts: a worker that starts the moment the hooks are in, before
 * start-up has returned, must find everything the first pin needs. Before the engine, the work
 * to do before the first pin (hooking java.lang.Thread, so that masks a pinned thread passes on
 * are seen) was handed over after the hooks were installed: a worker starting in between used
 * up the one-shot preparation with nothing to run, and Thread was never hooked.
 */
class StartupOrderTest {

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    /** The JDK's hooks, as the agent sees them; a worker starts inside install(), as one may at attach. */
    private final class HooksWithAWorkerInTheWindow implements HookInstallation {
        final List<String> calls = new ArrayList<>();
        final AtomicReference<WorkerRecord> pinnedInTheWindow = new AtomicReference<>();
        Agent agent;

        @Override
        public List<String> install(HookHandlers handlers, boolean hookThreadsNow) {
            calls.add("install");
            Thread worker = new Thread(() -> {
                handlers.workerStart().accept(pool, Thread.currentThread());
                pinnedInTheWindow.set(agent.engine().registry().get(Thread.currentThread()));
            }, "order-1");
            worker.start();
            try {
                worker.join();
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
    void aWorkerStartingWhileTheHooksAreInstalledHooksThreadsBeforeItIsPinned() throws Exception {
        CpuAffinity kernel = CpuAffinities.load(NativeCalls.class);
        CpuSet processCpus = ProcFs.system().selfAllowedCpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(processCpus.size() >= 2,
                "a pin that moves the worker needs two CPUs; this process may use " + processCpus);
        Rule orders = new Rule("orders", new ThreadNameGlob("order-*"), null, null, null, CpuSet.of(processCpus.nth(1)),
                Strategy.ROUND_ROBIN);
        AgentConfig config = new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(orders), OnError.WARN,
                LogLevel.INFO, processCpus);
        HooksWithAWorkerInTheWindow hooks = new HooksWithAWorkerInTheWindow();
        AgentLog quiet = new AgentLog(LogLevel.QUIET, () -> new PrintStream(OutputStream.nullOutputStream()));
        hooks.agent = new Agent(quiet, config, kernel, ControlChannel.loadingTheAgent(new Properties()), new Agent.Hooks(hooks, ThreadDiscovery.NONE));

        hooks.agent.startAtJvmStart();

        assertThat(hooks.pinnedInTheWindow.get()).as("the worker in the window was pinned").isNotNull();
        assertThat(hooks.pinnedInTheWindow.get().state()).isEqualTo(WorkerRecord.PinState.PINNED);
        assertThat(hooks.calls).as("Thread hooked before that first pin, inside the window")
                .containsExactly("install", "hookThreads", "installed");
    }
}
