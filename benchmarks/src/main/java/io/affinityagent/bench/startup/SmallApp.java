package io.affinityagent.bench.startup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * The small application of the start-up benchmark: a fixed pool of two workers and the common
 * pool each run a few tasks, then it exits. With the agent its pool classes are hooked as they
 * load and all three workers are pinned (benchmarks/configs/startup.properties).
 *
 * <p>It prints {@code PHASES main=<ms> end=<ms>} (wall clock, milliseconds since the epoch) when
 * main starts and just before it returns, so that the benchmark can split the run into JVM
 * start-up (with the agent's premain), the application (with the hooks and pins), and exit.
 */
public final class SmallApp {

    private SmallApp() {
    }

    public static void main(String[] args) throws Exception {
        long mainAt = System.currentTimeMillis();
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "app-" + r.hashCode()));
        List<Future<Long>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long n = i;
            results.add(pool.submit(() -> work(n)));
        }
        long sum = ForkJoinPool.commonPool().submit(() -> work(7)).get();
        for (Future<Long> f : results) {
            sum += f.get();
        }
        pool.shutdown();
        long endAt = System.currentTimeMillis();
        System.out.println("PHASES main=" + mainAt + " end=" + endAt + " sum=" + sum);
    }

    private static long work(long seed) {
        long x = seed + 1;
        for (int i = 0; i < 10_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}
