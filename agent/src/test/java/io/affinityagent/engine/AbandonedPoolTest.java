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
import io.affinityagent.registry.StatusPublisher;
import io.affinityagent.registry.WorkerRegistry;
import io.affinityagent.testing.Await;
import java.io.PrintStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A real pool, never shut down, whose workers the agent saw start but never saw exit (as after a
 * detach, when the exit hook is gone): once its idle workers have ended and the application has
 * dropped it, the pool must be collectable, and the registry must forget its workers and give
 * their slots back, through its weak references alone.
 */
class AbandonedPoolTest {

    @Test
    void aDroppedPoolWhoseExitsWereMissedIsCollectedAndForgotten() throws Exception {
        CpuAffinity kernel = CpuAffinities.load(NativeCalls.class);
        CpuSet processCpus = ProcFs.system().selfAllowedCpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(processCpus.size() >= 2,
                "this test needs two CPUs; the process may use only CPU " + processCpus);
        Rule rule = new Rule("gone", new ThreadNameGlob("gone-*"), null, null, null,
                CpuSet.of(processCpus.nth(0), processCpus.nth(1)), Strategy.ROUND_ROBIN);
        Plan plan = Plan.of(new AgentConfig(Paths.get("/etc/affinity.properties"), List.of(rule), OnError.WARN,
                LogLevel.INFO, processCpus));
        WorkerRegistry registry = new WorkerRegistry();
        PinningEngine pinner = TestEngines.started(plan, registry, kernel,
                new AgentLog(LogLevel.INFO, () -> new PrintStream(OutputStream.nullOutputStream())));

        WeakReference<ThreadPoolExecutor> pool = startAndDrop(pinner, 4);
        assertThat(registry.size()).isEqualTo(4);
        assertThat(plan.rule("gone").placement().loads()).containsExactly(2, 2);

        // The registry forgets a collected thread when next used (any hook, a status read); its
        // record holds the pool (the worker's thread did too), which goes after it.
        Await.untilCollected("the dropped pool and its ended workers to be collected, and the registry to forget them",
                Duration.ofSeconds(30), () -> registry.size() == 0 && pool.get() == null);

        assertThat(plan.rule("gone").placement().loads()).containsExactly(0, 0);
        assertThat(registry.workers()).isEmpty();
        assertThat(registry.counters("gone").exited()).as("no exit was seen").isZero();
    }

    /** A cached pool whose workers report their start to the pinner, as the hook does, and nothing on exit. */
    private static WeakReference<ThreadPoolExecutor> startAndDrop(PinningEngine pinner, int workers) throws InterruptedException {
        AtomicReference<ThreadPoolExecutor> self = new AtomicReference<>();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 20, TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), r -> new Thread(() -> {
                    pinner.onWorkerStart(self.get(), Thread.currentThread());
                    r.run();
                }, "gone-" + n.incrementAndGet()));
        self.set(executor);
        CountDownLatch allRunning = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < workers; i++) {
            executor.execute(() -> {
                allRunning.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(allRunning.await(30, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        return new WeakReference<>(executor); // the pool's only strong references now are its idle workers
    }
}
