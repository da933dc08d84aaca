package io.affinityagent.demo;

import io.affinityagent.config.PoolKind;
import io.affinityagent.os.ProcFs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A latency-critical order pool beside CPU-bound neighbours, the same in every run.
 *
 * <ul>
 *   <li>{@code order-feed-1} (a one-thread pool) submits a request to {@code order-1} (another)
 *       at a steady rate: request k is due at {@code t0 + k * period}. The feed sleeps until each
 *       due time and, when it is late, submits the backlog at once without moving the schedule,
 *       so a stall is counted in every request it delayed (no coordinated omission).</li>
 *   <li>Each request is a few microseconds of arithmetic; its latency is from its due time to
 *       its completion, its service time from its start to its completion.</li>
 *   <li>{@code batch-1..N} (one worker per CPU of the process) and the common pool run
 *       arithmetic without pause: they want every core.</li>
 * </ul>
 * Nothing on these paths allocates beyond the request objects, so the garbage collector stays
 * out of the figures.
 */
final class NoisyNeighbourWorkload {

    /** Every pool worker reports itself from its first task. */
    private final ConcurrentHashMap<Thread, PoolWorker> workers = new ConcurrentHashMap<>();
    private final int requestsPerSecond;
    private final int workIterations;
    private final int batchWorkers;
    private final int commonWorkers;
    private final ThreadPoolExecutor feed;
    private final ThreadPoolExecutor orders;
    private final ThreadPoolExecutor batch;
    private final LongAdder batchUnits = new LongAdder();
    private volatile boolean stopping;

    // Written by the order worker only; read by the main thread after the order pool terminated.
    private long[] latencies;
    private long[] services;
    private int recorded;
    private long dropped;
    private long sink;
    private boolean orderWorkerReported;
    private volatile long measureFrom;
    private volatile long measureUntil;

    NoisyNeighbourWorkload(int requestsPerSecond, int workIterations, int batchWorkers) {
        this.requestsPerSecond = requestsPerSecond;
        this.workIterations = workIterations;
        this.batchWorkers = batchWorkers;
        this.commonWorkers = ForkJoinPool.getCommonPoolParallelism();
        this.feed = singleThread("order-feed-");
        this.orders = singleThread("order-");
        this.batch = new ThreadPoolExecutor(batchWorkers, batchWorkers, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named("batch-"));
    }

    int expectedWorkers() {
        return 2 + batchWorkers + commonWorkers;
    }

    int batchWorkers() {
        return batchWorkers;
    }

    /**
     * Runs the workload: {@code warmupNanos} of warm-up, during which {@code duringWarmup} is
     * called once every pool worker has reported (or after a few seconds), then
     * {@code measureNanos} measured. Returns the measured figures.
     */
    LatencySummary run(String label, long warmupNanos, long measureNanos, Runnable duringWarmup) throws InterruptedException {
        long periodNanos = 1_000_000_000L / requestsPerSecond;
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, measureNanos / periodNanos + 1024);
        latencies = new long[capacity];
        services = new long[capacity];
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        measureFrom = t0 + warmupNanos;
        measureUntil = measureFrom + measureNanos;

        for (int i = 0; i < batchWorkers; i++) {
            batch.execute(this::batchLoop);
        }
        for (int i = 0; i < commonWorkers; i++) {
            ForkJoinPool.commonPool().execute(new CommonChunk());
        }
        feed.execute(() -> feedLoop(t0, periodNanos));

        awaitWorkers(TimeUnit.SECONDS.toNanos(5));
        duringWarmup.run();

        sleepUntil(measureFrom);
        long batchStart = System.nanoTime();
        long batchUnitsStart = batchUnits.sum();
        sleepUntil(measureUntil);
        long batchUnitsEnd = batchUnits.sum();
        long batchEnd = System.nanoTime();
        stopping = true;

        feed.shutdown();
        feed.awaitTermination(30, TimeUnit.SECONDS);
        orders.shutdown(); // the backlog, if any, still runs and is measured
        orders.awaitTermination(30, TimeUnit.SECONDS);
        batch.shutdown();
        batch.awaitTermination(30, TimeUnit.SECONDS);
        ForkJoinPool.commonPool().awaitQuiescence(30, TimeUnit.SECONDS);

        if (dropped > 0) {
            System.out.println("note: " + dropped + " requests were not recorded (the recorder was full)");
        }
        double batchPerSecond = (batchUnitsEnd - batchUnitsStart) * 1e9 / Math.max(1, batchEnd - batchStart);
        return LatencySummary.of(label, latencies, services, recorded, batchPerSecond, loadAverage());
    }

    /** The workers that reported so far, order pool first, then batch, then the common pool. */
    List<PoolWorker> workers() {
        List<PoolWorker> list = new ArrayList<>(workers.values());
        list.sort(Comparator.comparing((PoolWorker w) -> w.kind == PoolKind.COMMON_POOL)
                .thenComparing(w -> !w.name.startsWith("order-"))
                .thenComparing(w -> w.name.length())
                .thenComparing(w -> w.name));
        return list;
    }

    private void awaitWorkers(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (workers.size() < expectedWorkers() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private void feedLoop(long t0, long periodNanos) {
        report(PoolKind.THREAD_POOL, ThreadPoolExecutor.class);
        for (long k = 0; ; k++) {
            long due = t0 + k * periodNanos;
            if (due >= measureUntil) {
                return;
            }
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            orders.execute(new Request(due));
        }
    }

    /** One order: a few microseconds of arithmetic, timed from its due time. */
    private final class Request implements Runnable {
        private final long due;

        Request(long due) {
            this.due = due;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            if (!orderWorkerReported) {
                orderWorkerReported = true;
                report(PoolKind.THREAD_POOL, ThreadPoolExecutor.class);
            }
            sink += spin(due, workIterations);
            long end = System.nanoTime();
            if (due >= measureFrom && due < measureUntil) {
                if (recorded < latencies.length) {
                    latencies[recorded] = end - due;
                    services[recorded] = end - start;
                    recorded++;
                } else {
                    dropped++;
                }
            }
        }
    }

    private void batchLoop() {
        report(PoolKind.THREAD_POOL, ThreadPoolExecutor.class);
        long x = Thread.currentThread().getId();
        while (!stopping) {
            for (int i = 0; i < 1000; i++) {
                x = spin(x, 100);
            }
            batchUnits.add(1000);
        }
        consume(x);
    }

    /** A common-pool task that computes for a while and forks its own successor until the end. */
    private final class CommonChunk extends RecursiveAction {
        @Override
        protected void compute() {
            if (!workers.containsKey(Thread.currentThread())) {
                report(PoolKind.COMMON_POOL, ForkJoinPool.class);
            }
            long x = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                x = spin(x, 100);
            }
            consume(x);
            if (!stopping) {
                new CommonChunk().fork();
            }
        }
    }

    private void report(PoolKind kind, Class<?> poolClass) {
        Thread t = Thread.currentThread();
        workers.putIfAbsent(t, new PoolWorker(t.getName(), ProcFs.system().currentThreadId(), kind, poolClass));
    }

    /** xorshift: a dependent chain of arithmetic the compiler cannot fold away. */
    static long spin(long seed, int iterations) {
        long x = seed | 1;
        for (int i = 0; i < iterations; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    private static volatile long blackhole;

    private static void consume(long x) {
        if (x == 42) {
            blackhole = x;
        }
    }

    long sink() {
        return sink;
    }

    /** The machine's 1-minute load average, or NaN. */
    static double loadAverage() {
        try {
            String s = new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("/proc/loadavg")),
                    java.nio.charset.StandardCharsets.US_ASCII);
            return Double.parseDouble(s.substring(0, s.indexOf(' ')));
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long now;
        while ((now = System.nanoTime()) < deadline) {
            TimeUnit.NANOSECONDS.sleep(deadline - now);
        }
    }

    private static ThreadPoolExecutor singleThread(String prefix) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named(prefix));
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + n.incrementAndGet());
    }
}
