package io.affinityagent.bench.threadstart;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.bootstrap.WorkerHooks;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * What the JVM's thread-start event (JVMTI ThreadStart, switched on by the agent's native helper)
 * adds to a platform thread start: the upcall from the JVM into the bridge, with a handler that
 * does nothing (what the engine then does is the same work as from Thread.run's hook, measured
 * by the worker-start benchmarks). In one JVM, two arms interleaved round by round, the order
 * swapped each round: <b>off</b>, the event off; <b>on</b>, the event on. Each round starts and
 * joins {@code THREADS} threads of a Thread subclass that overrides run(), one after the other.
 *
 * <pre>ThreadStartEventCost ROUNDS THREADS</pre>
 * Prints one line per arm: the median, min and max over the rounds of the wall time and of the
 * process's CPU time per thread started and joined, and of the CPU time the new thread itself used
 * before its run() (the round's median; the least noisy figure, as waiting for a CPU is not in it),
 * in µs; then the median of the per-round differences (on minus off, each round's pair).
 */
public final class ThreadStartEventCost {

    private static volatile int told;

    private ThreadStartEventCost() {
    }

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Overrides run() and never calls super.run(); notes the CPU time its thread used before run(). */
    private static final class OwnRunThread extends Thread {
        long cpuBeforeRun;

        @Override
        public void run() {
            cpuBeforeRun = THREADS.getCurrentThreadCpuTime();
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        CpuAffinity helper = CpuAffinities.load(NativeCalls.class);
        if (helper.nativeCalls() == null) {
            throw new IllegalStateException("no native helper here: " + helper.backendName());
        }
        WorkerHooks.onThreadRun = new Consumer<Thread>() {
            @Override
            public void accept(Thread t) {
                told++;
            }
        };
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[][] wall = new double[2][rounds];
        double[][] cpu = new double[2][rounds];
        double[][] own = new double[2][rounds];
        for (int warm = 0; warm < 2; warm++) {
            for (int arm = 0; arm < 2; arm++) {
                run(arm == 1, threads, os);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 2; i++) {
                int arm = (r % 2 == 0) ? i : 1 - i;
                double[] m = run(arm == 1, threads, os);
                wall[arm][r] = m[0];
                cpu[arm][r] = m[1];
                own[arm][r] = m[2];
            }
        }
        if (told < threads) {
            throw new IllegalStateException("the event was not delivered: " + told);
        }
        String[] names = {"off", "on"};
        for (int arm = 0; arm < 2; arm++) {
            System.out.printf("%-3s wall/thread µs median %.1f (%.1f-%.1f)  process cpu/thread µs median %.1f (%.1f-%.1f)"
                    + "  new thread's cpu before run() µs median %.2f (%.2f-%.2f)%n", names[arm], median(wall[arm]),
                    min(wall[arm]), max(wall[arm]), median(cpu[arm]), min(cpu[arm]), max(cpu[arm]), median(own[arm]),
                    min(own[arm]), max(own[arm]));
        }
        System.out.printf("on-off per round, medians: wall µs %.1f, process cpu µs %.1f, new thread's cpu before run() µs"
                + " %.2f (rounds=%d threads/round=%d, told=%d)%n", median(diff(wall)), median(diff(cpu)), median(diff(own)),
                rounds, threads, told);
    }

    /** {wall µs, process CPU µs, the new thread's CPU µs before run() (the median)} per thread started and joined. */
    private static double[] run(boolean event, int threads, com.sun.management.OperatingSystemMXBean os)
            throws InterruptedException {
        if (event) {
            int r = NativeCalls.watchThreadStarts(WorkerHooks.class);
            if (r != 0) {
                throw new IllegalStateException("watchThreadStarts: " + r);
            }
        }
        long[] before = new long[threads];
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            OwnRunThread t = new OwnRunThread();
            t.start();
            t.join();
            before[i] = t.cpuBeforeRun;
        }
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        NativeCalls.unwatchThreadStarts();
        Arrays.sort(before);
        return new double[] {(t1 - t0) / 1000.0 / threads, (cpu1 - cpu0) / 1000.0 / threads, before[threads / 2] / 1000.0};
    }

    private static double[] diff(double[][] arms) {
        double[] d = new double[arms[0].length];
        for (int i = 0; i < d.length; i++) {
            d[i] = arms[1][i] - arms[0][i];
        }
        return d;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
