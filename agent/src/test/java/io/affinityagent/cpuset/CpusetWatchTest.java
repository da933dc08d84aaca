package io.affinityagent.cpuset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CpusetWatchTest {

    /** What the listener heard, in order. */
    private static final class Recorder implements CpusetWatch.Listener {
        final BlockingQueue<String> changes = new LinkedBlockingQueue<>();
        final BlockingQueue<String> failures = new LinkedBlockingQueue<>();
        final AtomicInteger unchanged = new AtomicInteger();
        final AtomicInteger watchTid = new AtomicInteger(-1);
        volatile boolean throwOnChange;

        @Override
        public void cpusetChanged(CpuSet before, CpuSet after) {
            changes.add(before + " -> " + after);
            if (throwOnChange) {
                throw new IllegalStateException("a listener that fails");
            }
        }

        @Override
        public void unchanged(CpuSet current) {
            watchTid.compareAndSet(-1, ProcFs.system().currentThreadId());
            unchanged.incrementAndGet();
        }

        @Override
        public void readFailed(String message) {
            failures.add(message);
        }

        String nextChange() throws InterruptedException {
            return changes.poll(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void tellsEachChangeOnceOnItsOwnDaemonThreadAndStops() throws Exception {
        AtomicReference<CpuSet> cpus = new AtomicReference<>(CpuSet.range(0, 7));
        Recorder recorder = new Recorder();
        CpusetWatch watch = new CpusetWatch(cpus::get, 20, CpuSet.range(0, 7), recorder);
        watch.start();
        try {
            cpus.set(CpuSet.range(2, 5));
            assertThat(recorder.nextChange()).isEqualTo("0-7 -> 2-5");
            assertThat(watch.current()).isEqualTo(CpuSet.range(2, 5));
            recorder.throwOnChange = true;
            cpus.set(CpuSet.range(0, 7));
            assertThat(recorder.nextChange()).isEqualTo("2-5 -> 0-7");
            recorder.throwOnChange = false;
            cpus.set(CpuSet.of(3));
            assertThat(recorder.nextChange()).as("the watch outlives a listener that threw").isEqualTo("0-7 -> 3");
            int before = recorder.unchanged.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (recorder.unchanged.get() < before + 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(recorder.unchanged.get()).as("wake-ups without a change").isGreaterThanOrEqualTo(before + 3);
            assertThat(recorder.changes).as("no change told twice").isEmpty();
            Thread t = watch.thread();
            assertThat(t.getName()).isEqualTo(CpusetWatch.THREAD_NAME);
            assertThat(t.isDaemon()).isTrue();
        } finally {
            watch.stop();
        }
        assertThat(watch.thread().isAlive()).as("stopped").isFalse();
        assertThat(watch.isRunning()).isFalse();
    }

    @Test
    void aFailedReadIsToldOncePerMessageAndTheLastSetIsKept() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        Recorder recorder = new Recorder();
        CpusetWatch watch = new CpusetWatch(() -> {
            if (reads.incrementAndGet() < 5) {
                throw new IOException("no /proc here");
            }
            return CpuSet.range(0, 1);
        }, 10, CpuSet.range(0, 3), recorder);
        for (int i = 0; i < 5; i++) {
            watch.checkOnce();
        }
        assertThat(recorder.failures).containsExactly("no /proc here");
        assertThat(recorder.changes).containsExactly("0-3 -> 0-1");
    }

    @Test
    void anEmptyReadIsNoChange() {
        Recorder recorder = new Recorder();
        CpusetWatch watch = new CpusetWatch(CpuSet::empty, 10, CpuSet.range(0, 3), recorder);
        assertThat(watch.checkOnce()).isFalse();
        assertThat(watch.current()).isEqualTo(CpuSet.range(0, 3));
    }

    /**
     * The real kernel: the watch thread, moved into a cpuset of this test's own (cgroup v1),
     * sees the cpuset shrink and grow back through its own mask. Needs root and a v1 cpuset
     * hierarchy (the whole-JVM integration test covers the rest).
     */
    @Test
    void seesARealCpusetShrinkAndGrowThroughItsOwnMask() throws Exception {
        Path root = Paths.get("/sys/fs/cgroup/cpuset");
        assumeTrue(Files.isWritable(root.resolve("tasks")), "needs root and a cgroup v1 cpuset hierarchy");
        ProcFs proc = ProcFs.system();
        CpuSet processCpus = proc.selfAllowedCpus();
        assumeTrue(processCpus.size() >= 2, "needs two CPUs");
        CpuAffinity affinity = CpuAffinities.load(NativeCalls.class);
        assumeTrue(affinity.isSupported(), "needs the JNI helper");

        Path parent = root.resolve(ownCpusetPath().substring(1));
        Path mine = parent.resolve("affinity-containers-test-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(mine);
        Recorder recorder = new Recorder();
        CpusetWatch watch = new CpusetWatch(new WatchThreadMask(affinity, proc), 50, processCpus, recorder);
        try {
            write(mine.resolve("cpuset.mems"), read(parent.resolve("cpuset.effective_mems")));
            write(mine.resolve("cpuset.cpus"), processCpus.toString());
            watch.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (recorder.watchTid.get() < 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            int tid = recorder.watchTid.get();
            assertThat(tid).isPositive();
            write(mine.resolve("tasks"), Integer.toString(tid));

            CpuSet last = CpuSet.of(processCpus.nth(processCpus.size() - 1));
            write(mine.resolve("cpuset.cpus"), last.toString());
            assertThat(recorder.nextChange()).isEqualTo(processCpus + " -> " + last);
            write(mine.resolve("cpuset.cpus"), processCpus.toString());
            assertThat(recorder.nextChange()).isEqualTo(last + " -> " + processCpus);
        } finally {
            watch.stop();
            removeCgroup(mine);
        }
        assertThat(Files.exists(mine)).isFalse();
    }

    private static String ownCpusetPath() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/thread-self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains("cpuset")) {
                return f[2];
            }
        }
        throw new IOException("no cpuset line in /proc/thread-self/cgroup");
    }

    /** A cgroup is removed once its last task is gone: the stopped watch thread leaves it as it ends. */
    private static void removeCgroup(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(dir)) {
            try {
                Files.delete(dir);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }
    }

    private static void write(Path file, String value) throws IOException {
        Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
    }
}
