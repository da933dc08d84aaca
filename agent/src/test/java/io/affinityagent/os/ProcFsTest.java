package io.affinityagent.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @TempDir
    Path root;

    private ProcFs fake;

    /** A stat line: pid, (comm), then fields 3 to 52 with field 39 (the last CPU) set to {@code lastCpu}. */
    static String stat(int tid, String comm, int lastCpu) {
        StringBuilder sb = new StringBuilder().append(tid).append(" (").append(comm).append(')');
        for (int field = 3; field <= 52; field++) {
            sb.append(' ').append(field == 3 ? "R" : field == 39 ? Integer.toString(lastCpu) : Integer.toString(field * 100));
        }
        return sb.append('\n').toString();
    }

    static String status(String name, String allowedList) {
        return "Name:\t" + name + "\nUmask:\t0022\nState:\tR (running)\nCpus_allowed:\tff\n"
                + "Cpus_allowed_list:\t" + allowedList + "\nMems_allowed_list:\t0\n";
    }

    private void write(String relative, String text) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A fake /proc: process 123 with threads 123 and 124 (its comm full of spaces and parentheses), 125 half gone. */
    @BeforeEach
    void fakeProc() throws IOException {
        write("123/status", status("java", "0-7"));
        write("123/task/123/status", status("java", "0-7"));
        write("123/task/123/stat", stat(123, "java", 6));
        write("123/task/124/status", status("a b) c", "2-3,8"));
        write("123/task/124/stat", stat(124, "a b) c", 3));
        Files.createDirectories(root.resolve("123/task/125")); // exited while we looked
        Files.createDirectories(root.resolve("123/task/not-a-thread"));
        Files.createSymbolicLink(root.resolve("self"), Paths.get("123"));
        Files.createSymbolicLink(root.resolve("thread-self"), Paths.get("123/task/124"));
        fake = new ProcFs(root);
    }

    @Test
    void threadReadsNameAllowedCpusAndLastCpu() {
        ProcFs.ThreadInfo t = fake.thread(123, 124);

        assertThat(t).isNotNull();
        assertThat(t.tid()).isEqualTo(124);
        assertThat(t.name()).isEqualTo("a b) c");
        assertThat(t.allowedCpus()).isEqualTo(CpuSet.of(2, 3, 8));
        assertThat(t.lastCpu()).isEqualTo(3);
    }

    @Test
    void lastCpuIsField39CountedFromTheEndOfTheName() throws IOException {
        assertThat(stat(123, "a b) c", 39)).startsWith("123 (a b) c) R 400 500 ");
        assertThat(ProcFs.parseLastCpu(stat(123, "a b) c", 39))).isEqualTo(39);
        assertThat(ProcFs.parseLastCpu(stat(123, "a b) c", 0))).isEqualTo(0);
        assertThat(ProcFs.parseLastCpu(stat(1, ") ) (", 4095))).isEqualTo(4095);
        assertThat(ProcFs.parseLastCpu(stat(1, "", 7))).isEqualTo(7);
        assertThat(fake.lastCpu(123, 124)).isEqualTo(3);
        assertThat(fake.lastCpu(123, 123)).isEqualTo(6);
    }

    @Test
    void statTooShortOrWithoutNameIsAnError() {
        assertThatThrownBy(() -> ProcFs.parseLastCpu("123 (java) R 1 2 3"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("expected at least 39");
        assertThatThrownBy(() -> ProcFs.parseLastCpu("123 java R 1 2 3"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected stat line");
    }

    /** The head of a real sched file (kernel 6.18, CONFIG_SCHED_DEBUG), as recorded. */
    static final String SCHED = "bash (4258, #threads: 1)\n"
            + "-------------------------------------------------------------------\n"
            + "se.exec_start                                :        631300.510119\n"
            + "se.vruntime                                  :         19052.858978\n"
            + "se.sum_exec_runtime                          :           101.885134\n"
            + "se.nr_migrations                             :                   21\n"
            + "nr_switches                                  :                  306\n"
            + "nr_voluntary_switches                        :                  207\n";

    @Test
    void threadCountersComeFromSchedstatAndSchedWhereTheKernelHasThem() throws IOException {
        write("123/task/124/status", status("a b) c", "2-3,8") + "voluntary_ctxt_switches:\t207\n"
                + "nonvoluntary_ctxt_switches:\t99\n");
        write("123/task/124/schedstat", "101885134 2500000 306\n");
        write("123/task/124/sched", SCHED);

        ProcFs.ThreadCounters c = fake.threadCounters(123, 124);

        assertThat(c.info().tid()).isEqualTo(124);
        assertThat(c.info().lastCpu()).isEqualTo(3);
        assertThat(c.info().allowedCpus()).isEqualTo(CpuSet.of(2, 3, 8));
        assertThat(c.cpuNanos()).isEqualTo(101_885_134L);
        assertThat(c.cpuNanosExact()).isTrue();
        assertThat(c.runQueueWaitNanos()).isEqualTo(2_500_000L);
        assertThat(c.voluntarySwitches()).isEqualTo(207);
        assertThat(c.involuntarySwitches()).isEqualTo(99);
        assertThat(c.migrations()).isEqualTo(21);
    }

    @Test
    void withoutSchedstatAndSchedCpuTimeIsStatTicksAndWaitAndMigrationsAreUnknown() {
        // stat() puts field * 100 in every field: utime (14) = 1400 ticks, stime (15) = 1500 ticks.
        ProcFs.ThreadCounters c = fake.threadCounters(123, 124);

        assertThat(c.cpuNanos()).isEqualTo((1400 + 1500) * 10_000_000L);
        assertThat(c.cpuNanosExact()).isFalse();
        assertThat(c.runQueueWaitNanos()).isEqualTo(-1);
        assertThat(c.migrations()).isEqualTo(-1);
        assertThat(c.involuntarySwitches()).as("no such line in the fake status").isEqualTo(-1);
        assertThat(fake.threadCounters(123, 125)).as("gone").isNull();
    }

    @Test
    void schedCountersAreFoundByTheirWholeName() {
        assertThat(ProcFs.schedCounter(SCHED, "se.nr_migrations")).isEqualTo(21);
        assertThat(ProcFs.schedCounter(SCHED, "nr_switches")).isEqualTo(306);
        assertThat(ProcFs.schedCounter(SCHED, "se.nr")).as("a prefix of a name is not a name").isEqualTo(-1);
        assertThat(ProcFs.schedCounter(SCHED, "se.nr_wakeups")).isEqualTo(-1);
        assertThat(ProcFs.parseSchedstat("1 2 3\n")).containsExactly(1, 2);
        assertThat(ProcFs.parseSchedstat("garbage")).isNull();
    }

    @Test
    void threadCountersOfThisVeryThreadAgreeWithTheKernel() throws IOException {
        ProcFs proc = ProcFs.system();
        int tid = proc.currentThreadId();
        ProcFs.ThreadCounters c = proc.threadCounters(proc.selfPid(), tid);

        assertThat(c.info().tid()).isEqualTo(tid);
        assertThat(c.cpuNanos()).isPositive();
        assertThat(c.voluntarySwitches() + c.involuntarySwitches()).isPositive();
        assertThat(proc.threadCounters(proc.selfPid())).extracting(t -> t.info().tid()).contains(tid);
    }

    @Test
    void theCurrentThreadsCpuTimeIsItsSchedstatAndUnknownWithoutIt(@TempDir Path empty) {
        ProcFs proc = ProcFs.system();
        long cpu = proc.currentThreadCpuNanos();
        org.junit.jupiter.api.Assumptions.assumeTrue(cpu >= 0, "a kernel without CONFIG_SCHEDSTATS");
        assertThat(proc.threadCounters(proc.selfPid(), proc.currentThreadId()).cpuNanos()).isGreaterThanOrEqualTo(cpu);
        assertThat(new ProcFs(empty).currentThreadCpuNanos()).isEqualTo(-1);
    }

    @Test
    void threadIdsAreNumericEntriesInAscendingOrder() throws IOException {
        assertThat(fake.threadIds(123)).containsExactly(123, 124, 125);
    }

    @Test
    void threadsListsOnlyThreadsThatAreStillThere() throws IOException {
        List<ProcFs.ThreadInfo> threads = fake.threads(123);

        assertThat(threads).extracting(ProcFs.ThreadInfo::tid).containsExactly(123, 124);
        assertThat(threads).extracting(ProcFs.ThreadInfo::name).containsExactly("java", "a b) c");
    }

    @Test
    void missingThreadIsNull() {
        assertThat(fake.thread(123, 125)).as("directory without files").isNull();
        assertThat(fake.thread(123, 999)).as("no directory").isNull();
        assertThat(fake.thread(999, 1)).as("no process").isNull();
    }

    @Test
    void missingProcessHasNoThreads() throws IOException {
        assertThat(fake.threadIds(999)).isEmpty();
        assertThat(fake.threads(999)).isEmpty();
    }

    @Test
    void allowedCpusOfProcessAndThread() throws IOException {
        assertThat(fake.processAllowedCpus(123)).isEqualTo(CpuSet.range(0, 7));
        assertThat(fake.selfAllowedCpus()).isEqualTo(CpuSet.range(0, 7));
        assertThat(fake.threadAllowedCpus(123, 124)).isEqualTo(CpuSet.of(2, 3, 8));
        // A gone process is a NoSuchFileException, which the command line tells apart ("it has just exited").
        assertThatThrownBy(() -> fake.processAllowedCpus(999)).isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThatThrownBy(() -> fake.processName(999)).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void selfLinksGiveThePidAndTheCurrentThread() {
        assertThat(fake.isAvailable()).isTrue();
        assertThat(fake.selfPid()).isEqualTo(123);
        assertThat(fake.currentThreadId()).isEqualTo(124);
    }

    @Test
    void withoutSelfLinksNothingIsAvailable(@TempDir Path empty) {
        ProcFs none = new ProcFs(empty);

        assertThat(none.isAvailable()).isFalse();
        assertThat(none.selfPid()).isEqualTo(-1);
        assertThat(none.currentThreadId()).isEqualTo(-1);
    }

    @Test
    void statusWithoutOrWithABadAllowedListIsAnError() throws IOException {
        write("7/status", "Name:\tx\nCpus_allowed:\tff\n");
        write("8/status", status("x", "0-x"));

        assertThatThrownBy(() -> fake.processAllowedCpus(7))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("7/status has no Cpus_allowed_list line");
        assertThatThrownBy(() -> fake.processAllowedCpus(8))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read Cpus_allowed_list '0-x'");
    }

    @Test
    void statusFieldMatchesWholeFieldNames() {
        String s = status("java", "0-3");

        assertThat(ProcFs.statusField(s, "Cpus_allowed")).isEqualTo("ff");
        assertThat(ProcFs.statusField(s, "Cpus_allowed_list")).isEqualTo("0-3");
        assertThat(ProcFs.statusField(s, "Name")).isEqualTo("java");
        assertThat(ProcFs.statusField(s, "Cpus")).isNull();
    }

    @Test
    void realProcShowsThisProcessAndThisThread() throws IOException {
        ProcFs proc = ProcFs.system();
        long pid = proc.selfPid();
        int tid = proc.currentThreadId();

        assertThat(proc.isAvailable()).isTrue();
        assertThat(pid).isEqualTo(ProcessHandle.current().pid());
        assertThat(tid).isPositive();
        assertThat(proc.threadIds(pid)).contains(tid, (int) pid);
        ProcFs.ThreadInfo me = proc.thread(pid, tid);
        assertThat(me).isNotNull();
        assertThat(me.tid()).isEqualTo(tid);
        assertThat(me.allowedCpus().isEmpty()).isFalse();
        assertThat(me.allowedCpus().contains(me.lastCpu())).as("last CPU %d in %s", me.lastCpu(), me.allowedCpus())
                .isTrue();
        assertThat(proc.processAllowedCpus(pid).isEmpty()).isFalse();
        assertThat(proc.selfAllowedCpus()).isEqualTo(proc.processAllowedCpus(pid));
        assertThat(proc.threads(pid)).extracting(ProcFs.ThreadInfo::tid).contains(tid);
    }

    @Test
    void realProcNamesAThreadByTheFirst15BytesOfItsJavaName() throws Exception {
        AtomicInteger tid = new AtomicInteger();
        AtomicReference<ProcFs.ThreadInfo> seen = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            tid.set(ProcFs.system().currentThreadId());
            seen.set(ProcFs.system().thread(ProcFs.system().selfPid(), tid.get()));
            done.countDown();
        }, "procfs-probe-thread-with-a-long-name");
        t.start();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        t.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(seen.get()).isNotNull();
        assertThat(seen.get().tid()).isEqualTo(tid.get());
        assertThat(seen.get().name()).isEqualTo("procfs-probe-th");
        // join() returns when the Java thread is done; the kernel drops the task a little later.
        Await.until("the exited thread is gone from /proc", Duration.ofSeconds(10),
                () -> ProcFs.system().thread(ProcFs.system().selfPid(), tid.get()) == null);
    }
}
