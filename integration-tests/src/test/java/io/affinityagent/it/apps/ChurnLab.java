package io.affinityagent.it.apps;

import java.lang.management.ManagementFactory;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Worker churn for the hardening tests and the soak: 8 pools fed by 16 submitting threads. A
 * task that throws kills its worker and the pool starts a replacement; cached workers expire
 * when idle for a few milliseconds. Three kinds of pool, one rule each in the tests' config:
 * <pre>
 * steady   st1..st4   fixed pools of 2, 3, 4 and 5 workers: only deaths and replacements
 * elastic  el1, el2   cached pools: deaths, replacements, expiry
 * wide     wd1, wd2   cached pools, under a rule with the shared strategy
 * </pre>
 * Every worker thread is counted as it starts and ends (its run, around the pool's), so the
 * test can hold the agent's counters against the application's own. Same protocol as
 * {@link PoolLab}: one command per line on stdin, {@code OK <command>[ -> detail]} or
 * {@code ERR <command> -> reason} on stdout.
 * <pre>
 * round              a new set of 8 pools (the previous one must be shut down)
 * churn DEATHS       the 16 submitters run until DEATHS tasks have thrown, then every task has
 *                    finished and the fixed pools are back to full strength
 * churn-for SECONDS  the same, for a time instead of a count (the soak)
 * expire             waits until the cached pools have no worker left
 * wave COUNT         COUNT tasks that block, on each cached pool; answers once all of them run
 * release            lets the blocked tasks finish
 * shutdown           shuts every pool down; answers once every worker thread has ended
 * counts             per rule: worker threads started and ended since the start, live now
 * heap               the heap used after a full GC, in bytes
 * exit
 * </pre>
 */
public final class ChurnLab {

    static final int SUBMITTERS = 16;
    /** Tasks in flight at most: keeps the fixed pools' queues short and the cached pools small. */
    static final int IN_FLIGHT = 48;
    static final long CACHED_KEEP_ALIVE_MS = 5;
    static final String[] RULES = {"steady", "elastic", "wide"};

    /** Thrown by the killing tasks; one instance, no stack trace: deaths, not exception costs, are measured. */
    static final RuntimeException DEATH = new RuntimeException("churn: this task kills its worker", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    /** Per rule, since the start: worker threads whose run began, and ended. */
    static final Map<String, AtomicLong> STARTED = new LinkedHashMap<>();
    static final Map<String, AtomicLong> ENDED = new LinkedHashMap<>();
    /** Anything a worker died of that was not DEATH: the application must never see one. */
    static final ConcurrentLinkedQueue<Throwable> UNEXPECTED = new ConcurrentLinkedQueue<>();

    static {
        for (String r : RULES) {
            STARTED.put(r, new AtomicLong());
            ENDED.put(r, new AtomicLong());
        }
    }

    /** One pool of the round, with the application's own count of its worker threads. */
    static final class Pool {
        final String name;
        final String rule;
        final boolean cached;
        final int size;
        final ThreadPoolExecutor executor;
        final AtomicLong started = new AtomicLong();
        final AtomicLong ended = new AtomicLong();
        final AtomicLong deaths = new AtomicLong();
        final AtomicInteger threadNumber = new AtomicInteger();

        Pool(String name, String rule, int size) {
            this.name = name;
            this.rule = rule;
            this.cached = size == 0;
            this.size = size;
            this.executor = cached
                    ? new ThreadPoolExecutor(0, Integer.MAX_VALUE, CACHED_KEEP_ALIVE_MS, TimeUnit.MILLISECONDS,
                            new SynchronousQueue<>(), factory())
                    : new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory());
        }

        private ThreadFactory factory() {
            return r -> {
                Thread t = new Thread(() -> {
                    started.incrementAndGet();
                    STARTED.get(rule).incrementAndGet();
                    try {
                        r.run();
                    } finally {
                        ended.incrementAndGet();
                        ENDED.get(rule).incrementAndGet();
                    }
                }, name + "-" + threadNumber.incrementAndGet());
                t.setUncaughtExceptionHandler((thread, e) -> {
                    if (e == DEATH) {
                        deaths.incrementAndGet();
                    } else {
                        UNEXPECTED.add(e);
                    }
                });
                return t;
            };
        }

        long live() {
            return started.get() - ended.get();
        }
    }

    private static List<Pool> pools = new ArrayList<>();
    private static final Semaphore IN_FLIGHT_PERMITS = new Semaphore(IN_FLIGHT);
    private static final Object GATE = new Object();
    private static boolean released;
    private static final AtomicLong WORK = new AtomicLong();

    private ChurnLab() {
    }

    public static void main(String[] args) throws Exception {
        PoolLab.serve(ChurnLab::run);
    }

    private static String run(String[] c) throws Exception {
        switch (c[0]) {
            case "round":
                return round();
            case "churn":
                return churn(Long.parseLong(c[1]), Long.MAX_VALUE);
            case "churn-for":
                return churn(Long.MAX_VALUE, System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(c[1])));
            case "expire":
                awaitQuiet("the cached pools to have no worker", () -> {
                    for (Pool p : pools) {
                        if (p.cached && p.live() != 0) {
                            return false;
                        }
                    }
                    return true;
                });
                return "";
            case "wave":
                return wave(Integer.parseInt(c[1]));
            case "release":
                synchronized (GATE) {
                    released = true;
                    GATE.notifyAll();
                }
                return "";
            case "shutdown":
                for (Pool p : pools) {
                    p.executor.shutdown();
                }
                for (Pool p : pools) {
                    if (!p.executor.awaitTermination(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(p.name + " did not terminate");
                    }
                }
                awaitQuiet("every worker thread to end", () -> {
                    for (Pool p : pools) {
                        if (p.live() != 0) {
                            return false;
                        }
                    }
                    return true;
                });
                return "";
            case "counts":
                return counts();
            case "heap":
                return "used=" + heapAfterFullGc();
            default:
                throw new IllegalArgumentException("unknown command " + c[0]);
        }
    }

    private static String round() {
        for (Pool p : pools) {
            if (!p.executor.isTerminated()) {
                throw new IllegalStateException("shut the previous round down first");
            }
        }
        pools = List.of(new Pool("st1", "steady", 2), new Pool("st2", "steady", 3), new Pool("st3", "steady", 4),
                new Pool("st4", "steady", 5), new Pool("el1", "elastic", 0), new Pool("el2", "elastic", 0),
                new Pool("wd1", "wide", 0), new Pool("wd2", "wide", 0));
        for (Pool p : pools) {
            p.executor.prestartAllCoreThreads();
        }
        return "pools=" + pools.size();
    }

    /** 16 submitters; one task in four kills its worker until {@code deaths} have been sent, or the deadline. */
    private static String churn(long deaths, long deadline) throws Exception {
        long startNanos = System.nanoTime();
        long deathsBefore = totalDeaths();
        long endedBefore = totalEnded();
        boolean timed = deadline != Long.MAX_VALUE;
        AtomicLong killsLeft = new AtomicLong(deaths);
        AtomicLong tasks = new AtomicLong();
        CountDownLatch submittersDone = new CountDownLatch(SUBMITTERS);
        List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < SUBMITTERS; s++) {
            long seed = s * 7919L + System.nanoTime();
            Thread t = new Thread(() -> {
                Random random = new Random(seed);
                try {
                    while (killsLeft.get() > 0 && (!timed || System.nanoTime() - deadline < 0)) {
                        Pool pool = pools.get(random.nextInt(pools.size()));
                        boolean kill = random.nextInt(4) == 0 && takeOne(killsLeft);
                        IN_FLIGHT_PERMITS.acquire();
                        tasks.incrementAndGet();
                        pool.executor.execute(kill ? ChurnLab::die : ChurnLab::work);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    submittersDone.countDown();
                }
            }, "submitter-" + s);
            submitters.add(t);
            t.start();
        }
        if (!submittersDone.await(1, TimeUnit.HOURS)) {
            throw new IllegalStateException("the submitters did not finish");
        }
        // Every task has run once every permit is back.
        if (!IN_FLIGHT_PERMITS.tryAcquire(IN_FLIGHT, 120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("tasks still running: " + (IN_FLIGHT - IN_FLIGHT_PERMITS.availablePermits()));
        }
        IN_FLIGHT_PERMITS.release(IN_FLIGHT);
        awaitQuiet("every death to be counted and the fixed pools to be back to full strength", () -> {
            long died = totalDeaths() - deathsBefore;
            if (deaths != Long.MAX_VALUE && died != deaths) {
                return false;
            }
            for (Pool p : pools) {
                if (!p.cached && p.live() != p.size) {
                    return false;
                }
            }
            return true;
        });
        long died = totalDeaths() - deathsBefore;
        long expired = totalEnded() - endedBefore - died;
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return "deaths=" + died + " expired=" + expired + " tasks=" + tasks.get() + " millis=" + millis
                + " unexpected=" + UNEXPECTED.size() + (UNEXPECTED.isEmpty() ? "" : " first=" + UNEXPECTED.peek());
    }

    private static boolean takeOne(AtomicLong left) {
        while (true) {
            long n = left.get();
            if (n <= 0) {
                return false;
            }
            if (left.compareAndSet(n, n - 1)) {
                return true;
            }
        }
    }

    private static void work() {
        try {
            long x = WORK.get();
            for (int i = 0; i < 200; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            WORK.lazySet(x);
        } finally {
            IN_FLIGHT_PERMITS.release();
        }
    }

    private static void die() {
        IN_FLIGHT_PERMITS.release();
        throw DEATH;
    }

    private static String wave(int count) throws InterruptedException {
        synchronized (GATE) {
            released = false;
        }
        CountDownLatch running = new CountDownLatch(count * 4);
        for (Pool p : pools) {
            if (p.cached) {
                for (int i = 0; i < count; i++) {
                    p.executor.execute(() -> {
                        running.countDown();
                        synchronized (GATE) {
                            while (!released) {
                                try {
                                    GATE.wait();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                    return;
                                }
                            }
                        }
                    });
                }
            }
        }
        if (!running.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (count * 4 - running.getCount()) + " wave tasks run");
        }
        return "";
    }

    private static String counts() {
        StringBuilder sb = new StringBuilder();
        for (String r : RULES) {
            long started = STARTED.get(r).get();
            long ended = ENDED.get(r).get();
            sb.append(sb.length() > 0 ? " " : "").append(r).append("=started:").append(started).append(",ended:").append(ended)
                    .append(",live:").append(started - ended);
        }
        return sb.append(" unexpected=").append(UNEXPECTED.size()).toString();
    }

    private static long totalDeaths() {
        long n = 0;
        for (Pool p : pools) {
            n += p.deaths.get();
        }
        return n;
    }

    private static long totalEnded() {
        long n = 0;
        for (Pool p : pools) {
            n += p.ended.get();
        }
        return n;
    }

    /**
     * Used heap after full collections, the smallest of three looks. The agent holds threads
     * weakly and drops the entries of collected ones lazily, at its next worker event; so each
     * look is a collection, one worker's start and exit, and a collection again: what is measured
     * is what is really kept, not entries waiting for their cleanup.
     */
    static long heapAfterFullGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            collect();
            ThreadPoolExecutor flush = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
            flush.execute(() -> { });
            flush.shutdown();
            if (!flush.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a one-task pool did not terminate");
            }
            collect();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /**
     * A full collection, and then until the JDK's reference handler has queued what it cleared
     * (it does so on its own thread, after the collection): a sentinel of ours comes out of its
     * queue once it got there.
     */
    private static void collect() throws InterruptedException {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        if (queue.remove(TimeUnit.SECONDS.toMillis(30)) != sentinel) {
            throw new IllegalStateException("the collector did not clear a weak reference");
        }
    }

    interface Condition {
        boolean holds();
    }

    private static void awaitQuiet(String what, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }
}
