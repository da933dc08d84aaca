package io.affinityagent.bench.cpuset;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpuset.AllowedCpusSource;
import io.affinityagent.cpuset.CpusetWatch;
import io.affinityagent.cpuset.WatchThreadMask;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the cpuset watch costs at rest: the watch thread runs at an interval in an otherwise idle
 * JVM for some seconds, and the kernel's own account of that thread
 * ({@code /proc/self/task/TID/schedstat}: nanoseconds on a CPU, and how many times it ran) gives
 * its CPU time per wake-up and its share of one CPU, from the fifth look on (the first ones load
 * classes). Two sources are compared: the watch thread's
 * own mask (one {@code sched_getaffinity}, what the agent uses) and {@code /proc/self/status}
 * parsed for {@code Cpus_allowed_list} (the alternative), and {@code none}: a wake-up that looks at
 * nothing, the floor any timed thread pays.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.affinityagent.bench.cpuset.CpusetWatchIdleCost INTERVAL_MS SECONDS [mask|proc-status|none]
 * </pre>
 */
public final class CpusetWatchIdleCost {

    public static void main(String[] args) throws Exception {
        long intervalMillis = Long.parseLong(args[0]);
        long seconds = Long.parseLong(args[1]);
        String sourceName = args.length > 2 ? args[2] : "mask";
        ProcFs proc = ProcFs.system();
        CpuSet start = proc.selfAllowedCpus();
        AllowedCpusSource source;
        if (sourceName.equals("mask")) {
            CpuAffinity affinity = CpuAffinities.load(NativeCalls.class);
            if (!affinity.isSupported()) {
                throw new IllegalStateException(affinity.unsupportedReason());
            }
            source = new WatchThreadMask(affinity, proc);
        } else if (sourceName.equals("none")) {
            source = new AllowedCpusSource() { // the wake-up alone: what any timed thread pays
                @Override
                public CpuSet read() {
                    return start;
                }
            };
        } else {
            source = new AllowedCpusSource() {
                @Override
                public CpuSet read() throws Exception {
                    return proc.selfAllowedCpus();
                }
            };
        }
        AtomicInteger tid = new AtomicInteger(-1);
        AtomicLong looks = new AtomicLong();
        CpusetWatch watch = new CpusetWatch(source, intervalMillis, start, new CpusetWatch.Listener() {
            @Override
            public void cpusetChanged(CpuSet before, CpuSet after) {
                looks.incrementAndGet();
            }

            @Override
            public void unchanged(CpuSet current) {
                if (tid.get() < 0) {
                    tid.set(proc.currentThreadId());
                }
                looks.incrementAndGet();
            }
        });
        watch.start();
        // The first looks load classes and touch cold code: measured from the fifth on.
        while (tid.get() < 0 || looks.get() < 5) {
            Thread.sleep(10);
        }
        Path schedstat = Paths.get("/proc/self/task/" + tid.get() + "/schedstat");
        long[] before = read(schedstat);
        long looksBefore = looks.get();
        Thread.sleep(seconds * 1000);
        long[] after = read(schedstat);
        long looksAfter = looks.get();
        watch.stop();

        long cpuNanos = after[0] - before[0];
        long runs = after[2] - before[2];
        long n = looksAfter - looksBefore;
        System.out.printf("source=%s interval=%dms seconds=%d looks=%d runs=%d cpu=%.3f ms"
                        + " per-look=%.1f us share-of-one-cpu=%.5f%%%n",
                sourceName, intervalMillis, seconds, n, runs, cpuNanos / 1e6, cpuNanos / 1e3 / Math.max(1, n),
                100.0 * cpuNanos / (seconds * 1e9));
    }

    /** schedstat: time on a CPU (ns), time waiting for one (ns), number of times it ran. */
    private static long[] read(Path schedstat) throws Exception {
        String[] f = new String(Files.readAllBytes(schedstat), StandardCharsets.US_ASCII).trim().split(" ");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])};
    }
}
