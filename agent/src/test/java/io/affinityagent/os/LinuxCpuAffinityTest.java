package io.affinityagent.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.config.CpuContext;
import io.affinityagent.config.CpuList;
import io.affinityagent.cpu.CpuSet;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the real kernel. Every pin happens on a thread the test starts, and is undone in a
 * finally; after all tests, every thread of this JVM must still have the process's mask.
 */
class LinuxCpuAffinityTest {

    private static final int EINVAL = 22;
    private static final int ESRCH = 3;

    private static CpuAffinity affinity;
    private static LinuxCpuAffinity linux;
    private static CpuSet processCpus;
    private static int firstCpu;
    private static int secondCpu;

    interface Body {
        void run() throws Exception;
    }

    @BeforeAll
    static void loadNativeHelper() throws Exception {
        processCpus = ProcFs.system().selfAllowedCpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(processCpus.size() >= 2,
                "these tests need two CPUs; the process may use only CPU " + processCpus);
        firstCpu = processCpus.nth(0);
        secondCpu = processCpus.nth(1);
        affinity = CpuAffinities.load(NativeCalls.class);
        assertThat(affinity.unsupportedReason()).isNull();
        assertThat(affinity.isSupported()).isTrue();
        assertThat(affinity).isInstanceOf(LinuxCpuAffinity.class);
        linux = (LinuxCpuAffinity) affinity;
    }

    @AfterAll
    static void noThreadOfThisJvmIsLeftPinned() throws Exception {
        ProcFs proc = ProcFs.system();
        long pid = proc.selfPid();
        for (ProcFs.ThreadInfo t : proc.threads(pid)) {
            assertThat(t.allowedCpus()).as("mask of thread %d (%s)", t.tid(), t.name()).isEqualTo(processCpus);
        }
    }

    /** Runs {@code body} on a new thread and waits for it, so that no surefire thread is ever pinned. */
    private static void onNewThread(String name, Body body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name);
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(t.isAlive()).as("%s finished", name).isFalse();
        if (failure.get() != null) {
            throw new AssertionError(name + " failed", failure.get());
        }
    }

    /** Cpus_allowed_list of the calling thread, straight from the kernel's file. */
    private static CpuSet threadSelfAllowed() throws Exception {
        for (String line : Files.readAllLines(Paths.get("/proc/thread-self/status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return CpuList.parse(line.substring("Cpus_allowed_list:".length()))
                        .resolve(CpuContext.of(CpuSet.empty()));
            }
        }
        throw new AssertionError("/proc/thread-self/status has no Cpus_allowed_list");
    }

    @Test
    void currentThreadStartsWithTheProcessMask() throws Exception {
        onNewThread("affinity-read", () -> {
            assertThat(affinity.getCurrentThread()).isEqualTo(processCpus);
            assertThat(threadSelfAllowed()).isEqualTo(processCpus);
        });
    }

    @Test
    void pinTheCurrentThreadToOneCpuThenAnotherThenRestore() throws Exception {
        onNewThread("affinity-pin-self", () -> {
            CpuSet original = affinity.getCurrentThread();
            try {
                affinity.setCurrentThread(CpuSet.of(firstCpu));
                assertThat(affinity.getCurrentThread()).isEqualTo(CpuSet.of(firstCpu));
                assertThat(threadSelfAllowed()).isEqualTo(CpuSet.of(firstCpu));
                // sched_setaffinity moves the caller before it returns.
                assertThat(linux.currentCpu()).isEqualTo(firstCpu);

                affinity.setCurrentThread(CpuSet.of(secondCpu));
                assertThat(affinity.getCurrentThread()).isEqualTo(CpuSet.of(secondCpu));
                assertThat(threadSelfAllowed()).isEqualTo(CpuSet.of(secondCpu));
                assertThat(linux.currentCpu()).isEqualTo(secondCpu);
            } finally {
                affinity.setCurrentThread(original);
            }
            assertThat(affinity.getCurrentThread()).isEqualTo(original);
            assertThat(threadSelfAllowed()).isEqualTo(original);
        });
    }

    @Test
    void nativeThreadIdIsTheKernelsTid() throws Exception {
        onNewThread("affinity-tid", () -> {
            assertThat(affinity.currentThreadId()).isPositive().isEqualTo(ProcFs.system().currentThreadId());
        });
    }

    @Test
    void setAndGetAnotherThreadByItsNativeId() throws Exception {
        AtomicInteger tid = new AtomicInteger();
        AtomicReference<CpuSet> seenFromInside = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch pinned = new CountDownLatch(1);
        CountDownLatch seen = new CountDownLatch(1);
        CountDownLatch restored = new CountDownLatch(1);
        Thread target = new Thread(() -> {
            tid.set(affinity.currentThreadId());
            started.countDown();
            try {
                if (pinned.await(30, TimeUnit.SECONDS)) {
                    seenFromInside.set(affinity.getCurrentThread());
                }
                seen.countDown();
                restored.await(30, TimeUnit.SECONDS); // exit with the process mask, not the test's
            } catch (Exception e) {
                Thread.currentThread().interrupt();
            }
        }, "affinity-target");
        target.start();
        try {
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            CpuSet before = affinity.getThread(tid.get());
            assertThat(before).isEqualTo(processCpus);
            try {
                affinity.setThread(tid.get(), CpuSet.of(secondCpu));
                assertThat(affinity.getThread(tid.get())).isEqualTo(CpuSet.of(secondCpu));
                assertThat(ProcFs.system().threadAllowedCpus(ProcFs.system().selfPid(), tid.get()))
                        .isEqualTo(CpuSet.of(secondCpu));
                pinned.countDown();
                assertThat(seen.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(seenFromInside.get()).as("the thread's own view").isEqualTo(CpuSet.of(secondCpu));
            } finally {
                affinity.setThread(tid.get(), before);
            }
            assertThat(affinity.getThread(tid.get())).isEqualTo(before);
        } finally {
            pinned.countDown();
            restored.countDown();
            target.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(target.isAlive()).isFalse();
    }

    @Test
    void emptySetIsRefusedBeforeTheKernelIsAsked() throws Exception {
        onNewThread("affinity-empty", () -> {
            assertThatThrownBy(() -> affinity.setCurrentThread(CpuSet.empty()))
                    .isInstanceOfSatisfying(AffinityException.class, e -> assertThat(e.errno()).isZero())
                    .hasMessageContaining("empty CPU set");
            assertThatThrownBy(() -> affinity.setThread(affinity.currentThreadId(), CpuSet.empty()))
                    .isInstanceOf(AffinityException.class);
            assertThat(affinity.getCurrentThread()).isEqualTo(processCpus);
        });
    }

    @Test
    void cpuThisProcessMayNotUseFailsWithEinvalAndLeavesTheMaskAlone() throws Exception {
        assertThat(processCpus.contains(4000)).isFalse();
        onNewThread("affinity-einval", () -> {
            CpuSet original = affinity.getCurrentThread();
            try {
                assertThatThrownBy(() -> affinity.setCurrentThread(CpuSet.of(4000)))
                        .isInstanceOfSatisfying(AffinityException.class, e -> assertThat(e.errno()).isEqualTo(EINVAL))
                        .hasMessageContaining("sched_setaffinity(this thread, CPUs 4000)")
                        .hasMessageContaining("EINVAL");
                assertThat(affinity.getCurrentThread()).isEqualTo(original);
                assertThat(threadSelfAllowed()).isEqualTo(original);
            } finally {
                affinity.setCurrentThread(original);
            }
        });
    }

    @Test
    void largestCpuIdIsPassedToTheKernelAndRefusedByIt() throws Exception {
        onNewThread("affinity-max-cpu", () -> {
            CpuSet original = affinity.getCurrentThread();
            try {
                assertThatThrownBy(() -> affinity.setCurrentThread(CpuSet.of(CpuSet.MAX_CPU)))
                        .isInstanceOfSatisfying(AffinityException.class, e -> assertThat(e.errno()).isEqualTo(EINVAL));
                // Together with an allowed CPU, the kernel keeps the allowed one.
                affinity.setCurrentThread(CpuSet.of(firstCpu, CpuSet.MAX_CPU));
                assertThat(affinity.getCurrentThread()).isEqualTo(CpuSet.of(firstCpu));
            } finally {
                affinity.setCurrentThread(original);
            }
        });
    }

    /** A worker's pin: one call sets the mask and tells the id, with a one-word mask or a larger one. */
    @Test
    void pinningTheCurrentThreadTellsItsNativeId() throws Exception {
        onNewThread("affinity-pin-tid", () -> {
            CpuSet original = affinity.getCurrentThread();
            int tid = ProcFs.system().currentThreadId();
            try {
                assertThat(affinity.pinCurrentThread(CpuSet.of(firstCpu))).isEqualTo(tid);
                assertThat(threadSelfAllowed()).isEqualTo(CpuSet.of(firstCpu));
                assertThat(linux.currentCpu()).isEqualTo(firstCpu);

                // A mask of many words (CPU 4000 is none of this machine's): the allowed CPU is kept.
                assertThat(affinity.pinCurrentThread(CpuSet.of(secondCpu, 4000))).isEqualTo(tid);
                assertThat(threadSelfAllowed()).isEqualTo(CpuSet.of(secondCpu));

                assertThatThrownBy(() -> affinity.pinCurrentThread(CpuSet.of(4000)))
                        .isInstanceOfSatisfying(AffinityException.class, e -> assertThat(e.errno()).isEqualTo(EINVAL))
                        .hasMessageContaining("sched_setaffinity(this thread, CPUs 4000)");
                assertThatThrownBy(() -> affinity.pinCurrentThread(CpuSet.empty()))
                        .isInstanceOfSatisfying(AffinityException.class, e -> assertThat(e.errno()).isZero());
                assertThat(threadSelfAllowed()).isEqualTo(CpuSet.of(secondCpu));
            } finally {
                affinity.setCurrentThread(original);
            }
        });
    }

    @Test
    void threadThatDoesNotExistFailsWithEsrch() {
        int noSuchThread = Integer.MAX_VALUE; // above any pid_max

        assertThatThrownBy(() -> affinity.setThread(noSuchThread, CpuSet.of(firstCpu)))
                .isInstanceOfSatisfying(AffinityException.class, e -> assertThat(e.errno()).isEqualTo(ESRCH))
                .hasMessageContaining("thread " + noSuchThread)
                .hasMessageContaining("ESRCH");
        assertThatThrownBy(() -> affinity.getThread(noSuchThread))
                .isInstanceOfSatisfying(AffinityException.class, e -> assertThat(e.errno()).isEqualTo(ESRCH))
                .hasMessageContaining("no such thread (ESRCH)");
    }

    @Test
    void aHelperThatCannotLoadFallsBackToOpenHftNotAnException() throws Exception {
        CpuAffinity fallback = CpuAffinities.load(String.class);

        assertThat(fallback.isSupported()).isTrue();
        assertThat(fallback.backendName()).isEqualTo("OpenHFT/JNA (linux-" + System.getProperty("os.arch") + ")");
        assertThat(fallback.backendNote()).contains("cannot load the agent's native helper");
        assertThat(fallback.currentThreadId()).isEqualTo(affinity.currentThreadId());
    }

    @Test
    void explainNamesTheErrno() {
        assertThat(LinuxCpuAffinity.explain(EINVAL, null)).contains("EINVAL");
        assertThat(LinuxCpuAffinity.explain(1, CpuSet.of(0))).contains("EPERM");
        assertThat(LinuxCpuAffinity.explain(ESRCH, null)).contains("ESRCH", "exited");
        assertThat(LinuxCpuAffinity.explain(14, null)).contains("EFAULT");
        assertThat(LinuxCpuAffinity.explain(99, null)).isEqualTo("errno 99");
    }
}
