package io.affinityagent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.jdk.HookHandlers;
import io.affinityagent.jdk.HookInstallation;
import io.affinityagent.log.AgentLog;
import io.affinityagent.log.LogLevel;
import io.affinityagent.os.UnsupportedCpuAffinity;
import io.affinityagent.registry.WorkerRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The one-off work before the first pin: done once, and a thread that waits for it says how long. */
class FirstPinTest {

    @Test
    void aThreadThatWaitsForAnotherThreadsSetUpReturnsTheWaitAndTheOneThatDidItNone() throws Exception {
        CountDownLatch hooking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong hookedTimes = new AtomicLong();
        HookInstallation slowHooks = new HookInstallation() {
            @Override
            public List<String> install(HookHandlers handlers, boolean hookThreadsNow) {
                return List.of();
            }

            @Override
            public List<String> hookThreads() {
                hookedTimes.incrementAndGet();
                hooking.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return List.of();
            }
        };
        WorkerRegistry registry = new WorkerRegistry();
        AgentLog quiet = new AgentLog(LogLevel.INFO, () -> new PrintStream(OutputStream.nullOutputStream()));
        FirstPin firstPin = new FirstPin(slowHooks, new PinExecutor(new UnsupportedCpuAffinity("test"), registry, quiet));

        AtomicLong doerWaited = new AtomicLong(-1);
        Thread doer = new Thread(() -> doerWaited.set(firstPin.prepare()));
        doer.start();
        assertThat(hooking.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicLong waiterWaited = new AtomicLong(-1);
        Thread waiter = new Thread(() -> waiterWaited.set(firstPin.prepare()));
        waiter.start();
        while (waiter.getState() != Thread.State.BLOCKED) { // the waiter is at the set-up's monitor
            Thread.onSpinWait();
        }
        Thread.sleep(20);
        release.countDown();
        doer.join();
        waiter.join();

        assertThat(doerWaited.get()).as("the thread that did the work waited for no one").isZero();
        assertThat(waiterWaited.get()).as("the other one's wait").isGreaterThanOrEqualTo(20_000_000L);
        assertThat(hookedTimes.get()).isEqualTo(1);
        assertThat(firstPin.prepare()).as("once done, nothing to wait for").isZero();
    }
}
