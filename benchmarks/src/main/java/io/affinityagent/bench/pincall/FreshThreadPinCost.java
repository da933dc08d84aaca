package io.affinityagent.bench.pincall;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import java.util.Arrays;

/**
 * What a new worker's pin costs as the first native calls of a fresh thread, by the way it is
 * made, in one JVM with the real helper, the arms interleaved thread by thread in a shuffled
 * order: <b>two</b>, {@code gettid} then {@code sched_setaffinity} with the mask as a Java array
 * (the agent before); <b>array</b>, one call that pins and tells the id, mask as an array;
 * <b>word</b>, the same with the mask as one long (what the agent does for up to 64 CPUs);
 * <b>again</b>, the word call a second time on the same thread (the call once the thread has made
 * one). Each thread pins itself to the process's CPUs (no move) as the first thing it does and
 * times that with {@code System.nanoTime}.
 *
 * <pre>FreshThreadPinCost THREADS_PER_ARM</pre>
 * Prints per arm the median, quartiles and range in µs.
 */
public final class FreshThreadPinCost {

    private static final String[] ARMS = {"two", "array", "word", "again"};

    private FreshThreadPinCost() {
    }

    public static void main(String[] args) throws Exception {
        int perArm = Integer.parseInt(args[0]);
        CpuAffinity helper = CpuAffinities.load(NativeCalls.class);
        if (helper.nativeCalls() == null) {
            throw new IllegalStateException("no native helper here: " + helper.backendName());
        }
        CpuSet mask = ProcFs.system().selfAllowedCpus();
        long[] words = mask.kernelMask(16);
        long word = mask.maskWord(0);
        if (mask.maskWordCount() != 1) {
            throw new IllegalStateException("the process's CPUs " + mask + " do not fit one word");
        }
        int warm = 500;
        int total = (warm + perArm) * ARMS.length;
        int[] order = new int[total];
        for (int i = 0; i < total; i++) {
            order[i] = i % ARMS.length;
        }
        java.util.Random random = new java.util.Random(6);
        for (int i = total - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        long[][] nanos = new long[ARMS.length][perArm];
        int[] seen = new int[ARMS.length];
        int[] kept = new int[ARMS.length];
        long[] took = new long[1];
        for (int i = 0; i < total; i++) {
            int arm = order[i];
            Thread t = new Thread(() -> took[0] = firstPin(arm, words, word), "pin-" + i);
            t.start();
            t.join();
            if (seen[arm]++ >= warm) {
                nanos[arm][kept[arm]++] = took[0];
            }
        }
        System.out.printf("load average now: %s%n", new String(java.nio.file.Files.readAllBytes(
                java.nio.file.Paths.get("/proc/loadavg"))).trim());
        for (int a = 0; a < ARMS.length; a++) {
            long[] n = nanos[a];
            Arrays.sort(n);
            System.out.printf("%-6s median %.2f us (IQR %.2f-%.2f, range %.2f-%.2f, n=%d)%n", ARMS[a], n[n.length / 2] / 1e3,
                    n[n.length / 4] / 1e3, n[3 * n.length / 4] / 1e3, n[0] / 1e3, n[n.length - 1] / 1e3, n.length);
        }
    }

    /** The arm's pin, as the first native calls of this thread; its nanoseconds. */
    private static long firstPin(int arm, long[] words, long word) {
        long t0;
        int r;
        switch (arm) {
            case 0:
                t0 = System.nanoTime();
                r = NativeCalls.gettid() > 0 ? NativeCalls.setAffinity(0, words) : -1;
                break;
            case 1:
                t0 = System.nanoTime();
                r = NativeCalls.pinSelf(words) > 0 ? 0 : -1;
                break;
            case 2:
                t0 = System.nanoTime();
                r = NativeCalls.pinSelfWord(word) > 0 ? 0 : -1;
                break;
            default:
                NativeCalls.pinSelfWord(word);
                t0 = System.nanoTime();
                r = NativeCalls.pinSelfWord(word) > 0 ? 0 : -1;
                break;
        }
        long took = System.nanoTime() - t0;
        if (r != 0) {
            throw new IllegalStateException("the pin failed: " + r);
        }
        return took;
    }
}
