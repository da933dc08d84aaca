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
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.WorkerRecord;
import io.affinityagent.registry.WorkerRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one re-plan entry: its outcome by rule, what the threads end up on, and what an observer hears. */
class ReplanTest {

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
    private final CountDownLatch end = new CountDownLatch(1);
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private CpuAffinity kernel;
    private CpuSet processCpus;
    private int cpuA;
    private int cpuB;

    @BeforeEach
    void kernel() throws Exception {
        kernel = CpuAffinities.load(NativeCalls.class);
        processCpus = ProcFs.system().selfAllowedCpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(processCpus.size() >= 2,
                "moving a worker between two CPUs needs two; this process may use " + processCpus);
        cpuA = processCpus.nth(0);
        cpuB = processCpus.nth(1);
    }

    @AfterEach
    void shutdown() {
        end.countDown();
        pool.shutdownNow();
    }

    private AgentConfig config(Rule... rules) {
        return new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rules), OnError.WARN, LogLevel.INFO,
                processCpus);
    }

    private static Rule rule(String name, String glob, int cpu) {
        return new Rule(name, new ThreadNameGlob(glob), null, null, null, CpuSet.of(cpu), Strategy.ROUND_ROBIN);
    }

    /** A worker that starts (through the engine, as the hook would) and then waits for the test's end. */
    private Thread worker(PinningEngine engine, String name) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            engine.onWorkerStart(pool, Thread.currentThread());
            started.countDown();
            try {
                end.await();
            } catch (InterruptedException ignored) {
                // the test is over
            }
        }, name);
        t.start();
        started.await();
        return t;
    }

    @Test
    void aReplanMovesKeepsAndReleasesByRuleAndTellsTheObserver() throws Exception {
        WorkerRegistry registry = new WorkerRegistry();
        AgentLog quiet = new AgentLog(LogLevel.QUIET, () -> new PrintStream(OutputStream.nullOutputStream()));
        PinningEngine engine = TestEngines.started(Plan.of(config(rule("orders", "order-*", cpuA),
                rule("quotes", "quote-*", cpuA))), registry, kernel, quiet);
        Thread order = worker(engine, "order-1");
        Thread quote = worker(engine, "quote-1");
        int orderTid = registry.get(order).nativeThreadId();
        int quoteTid = registry.get(quote).nativeThreadId();
        assertThat(kernel.getThread(orderTid)).isEqualTo(CpuSet.of(cpuA));
        engine.setObserver(new PinObserver() {
            @Override
            public void pinned(Thread thread, WorkerRecord worker, boolean moved, long nanos) {
                heard.add("pinned " + thread.getName() + " " + worker.rule().name() + " " + worker.slot().mask() + " moved=" + moved);
            }

            @Override
            public void released(Thread thread, WorkerRecord worker) {
                heard.add("released " + thread.getName() + " " + worker.rule().name());
            }

            @Override
            public void failed(Thread thread, WorkerRecord worker, String why) {
                heard.add("failed " + thread.getName());
            }

            @Override
            public void replanned(ReplanOutcome outcome) {
                heard.add("replanned " + outcome.reason());
            }
        });

        ReplanOutcome outcome = engine.replan(config(rule("orders", "order-*", cpuB)), ReplanReason.JMX);

        assertThat(outcome.reason()).isEqualTo(ReplanReason.JMX);
        assertThat(outcome.byRule().get("orders").pinned()).isEqualTo(1);
        assertThat(outcome.byRule().get("quotes").released()).isEqualTo(1);
        assertThat(outcome.pinned()).isEqualTo(1);
        assertThat(outcome.released()).isEqualTo(1);
        assertThat(outcome.kept() + outcome.failed()).isZero();
        assertThat(kernel.getThread(orderTid)).isEqualTo(CpuSet.of(cpuB));
        assertThat(kernel.getThread(quoteTid)).as("given the process's CPUs back").isEqualTo(processCpus);
        assertThat(heard).containsExactlyInAnyOrder("pinned order-1 orders " + cpuB + " moved=true",
                "released quote-1 quotes", "replanned JMX");

        heard.clear();
        ReplanOutcome again = engine.replan(config(rule("orders", "order-*", cpuB)), ReplanReason.CPUSET_CHANGE);
        assertThat(again.byRule().get("orders").pinned()).as("a new plan places afresh").isEqualTo(1);
        assertThat(heard).contains("pinned order-1 orders " + cpuB + " moved=false");

        ReplanOutcome detached = engine.detach();
        assertThat(detached.released()).isEqualTo(1);
        assertThat(engine.lifecycle().phase()).isEqualTo(Lifecycle.Phase.DETACHED);
        assertThat(kernel.getThread(orderTid)).isEqualTo(processCpus);
        assertThat(registry.size()).isZero();
    }

    @Test
    void anExitIsHeardAndAnObserverThatThrowsDoesNotSilenceTheNextNorFailThePin() throws Exception {
        WorkerRegistry registry = new WorkerRegistry();
        AgentLog quiet = new AgentLog(LogLevel.QUIET, () -> new PrintStream(OutputStream.nullOutputStream()));
        PinningEngine engine = TestEngines.started(Plan.of(config(rule("orders", "order-*", cpuA))), registry, kernel,
                quiet);
        PinObserver throwing = new PinObserver() {
            @Override
            public void pinned(Thread thread, WorkerRecord worker, boolean moved, long nanos) {
                throw new IllegalStateException("a broken observer");
            }

            @Override
            public void released(Thread thread, WorkerRecord worker) {
                throw new IllegalStateException("a broken observer");
            }

            @Override
            public void exited(Thread thread, WorkerRecord worker) {
                throw new IllegalStateException("a broken observer");
            }

            @Override
            public void failed(Thread thread, WorkerRecord worker, String why) {
                throw new IllegalStateException("a broken observer");
            }

            @Override
            public void replanned(ReplanOutcome outcome) {
                throw new IllegalStateException("a broken observer");
            }
        };
        PinObserver listening = new PinObserver() {
            @Override
            public void pinned(Thread thread, WorkerRecord worker, boolean moved, long nanos) {
                heard.add("pinned " + thread.getName());
            }

            @Override
            public void released(Thread thread, WorkerRecord worker) {
                heard.add("released " + thread.getName());
            }

            @Override
            public void exited(Thread thread, WorkerRecord worker) {
                heard.add("exited " + thread.getName() + " " + worker.rule().name() + " " + worker.slot().mask());
            }

            @Override
            public void failed(Thread thread, WorkerRecord worker, String why) {
                heard.add("failed " + thread.getName());
            }

            @Override
            public void replanned(ReplanOutcome outcome) {
                heard.add("replanned " + outcome.reason());
            }
        };
        engine.setObserver(PinObservers.of(throwing, null, listening));

        Thread order = worker(engine, "order-1");
        assertThat(registry.get(order).state()).as("the pin stands").isEqualTo(WorkerRecord.PinState.PINNED);
        engine.onWorkerExit(order);
        Thread unmatched = new Thread(() -> { }, "other-1");
        engine.onWorkerExit(unmatched); // never placed: nothing to hear

        assertThat(heard).containsExactly("pinned order-1", "exited order-1 orders " + cpuA);
        assertThat(PinObservers.of(null, null)).isNull();
    }
}
