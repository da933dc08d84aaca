package io.affinityagent.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.affinityagent.cpu.CpuSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenHFT/JNA fallback against the real kernel (JNA works on this CPU too, so the fallback is
 * tested here, not only under emulation). Every pin happens on a thread the test starts, and
 * every thread must have the process's mask at the end.
 */
class OpenHftCpuAffinityTest {

    private static final int ESRCH = 3;

    private static CpuAffinity affinity;
    private static CpuSet processCpus;

    @BeforeAll
    static void loadFallback() throws Exception {
        processCpus = ProcFs.system().selfAllowedCpus();
        affinity = CpuAffinities.withoutHelper("a test");
        assertThat(affinity.unsupportedReason()).isNull();
        assertThat(affinity.backendName()).isEqualTo("OpenHFT/JNA (linux-" + System.getProperty("os.arch") + ")");
        assertThat(affinity.backendNote()).isEqualTo("a test");
    }

    @AfterAll
    static void noThreadOfThisJvmIsLeftPinned() throws Exception {
        ProcFs proc = ProcFs.system();
        for (ProcFs.ThreadInfo t : proc.threads(proc.selfPid())) {
            assertThat(t.allowedCpus()).as("mask of thread %d (%s)", t.tid(), t.name()).isEqualTo(processCpus);
        }
    }

    @Test
    void pinsTheCallingThreadAsProcSeesIt() throws Exception {
        int last = processCpus.nth(processCpus.size() - 1);
        onNewThread(() -> {
            int tid = affinity.currentThreadId();
            assertThat(tid).isEqualTo(ProcFs.system().currentThreadId()).isPositive();
            affinity.setCurrentThread(CpuSet.of(last));
            assertThat(ProcFs.system().threadAllowedCpus(ProcFs.system().selfPid(), tid)).isEqualTo(CpuSet.of(last));
            assertThat(affinity.getCurrentThread()).isEqualTo(CpuSet.of(last));
            affinity.setCurrentThread(processCpus);
            assertThat(affinity.getCurrentThread()).isEqualTo(processCpus);
        });
    }

    @Test
    void pinsAnotherThreadByItsNativeId() throws Exception {
        assumeTrue(processCpus.size() >= 2, "needs two CPUs; this process may use " + processCpus);
        int first = processCpus.nth(0);
        AtomicReference<Integer> tid = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            tid.set(affinity.currentThreadId());
            started.countDown();
            try {
                done.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "openhft-test-target");
        t.start();
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            affinity.setThread(tid.get(), CpuSet.of(first));
            assertThat(affinity.getThread(tid.get())).isEqualTo(CpuSet.of(first));
            affinity.setThread(tid.get(), processCpus);
            assertThat(affinity.getThread(tid.get())).isEqualTo(processCpus);
        } finally {
            done.countDown();
            t.join();
        }
    }

    @Test
    void aThreadThatDoesNotExistFailsWithEsrchInWords() {
        int noSuchThread = Integer.MAX_VALUE; // above any pid_max

        assertThatThrownBy(() -> affinity.setThread(noSuchThread, CpuSet.of(processCpus.nth(0))))
                .isInstanceOfSatisfying(AffinityException.class, e -> assertThat(e.errno()).isEqualTo(ESRCH))
                .hasMessageContaining("thread " + noSuchThread)
                .hasMessageContaining("through OpenHFT")
                .hasMessageContaining("no such thread (ESRCH)");
        assertThatThrownBy(() -> affinity.getThread(noSuchThread)).isInstanceOf(AffinityException.class);
        assertThatThrownBy(() -> affinity.setCurrentThread(CpuSet.empty())).isInstanceOf(AffinityException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void errnoIsReadFromOpenHftsMessage() {
        assertThat(OpenHftCpuAffinity.errnoOf(new IllegalStateException("sched_setaffinity(9, 128, 0x1) failed; errno=22")))
                .isEqualTo(22);
        assertThat(OpenHftCpuAffinity.errnoOf(new IllegalStateException("no number"))).isZero();
    }

    interface Body {
        void run() throws Exception;
    }

    private static void onNewThread(Body body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "openhft-test");
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
