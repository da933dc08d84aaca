package io.affinityagent.bench.workerstart;

import io.affinityagent.bench.jmh.AgentPresence;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The whole-process worker-start benchmark: starts and stops {@code count} one-worker pools, one
 * after the other (each: make the pool, hand it a task, wait until the task runs on the new
 * worker, shut the pool down and wait for the worker to end), after {@code warmup} untimed ones.
 * A thread start varies by hundreds of µs from one to the next, so one start cannot show a
 * cost of 20 µs; the average of thousands narrows it, and the agent's own clock measures its
 * part directly.
 *
 * <pre>WorkerChurnApp tpe|fj|tpe-allocated WARMUP COUNT</pre>
 * ({@code tpe-allocated}: ThreadPoolExecutor workers whose thread allocates once before its
 * worker starts, which takes the thread's first allocation out of the agent's hooks, to tell that
 * cost apart; by hand, not in the suite's arms).
 * Prints {@code CHURN kind=K workers=N wall_ns=W cpu_ns=C}: the wall time of the timed part and
 * the CPU time the whole process used meanwhile (every thread, the kernel's work for it
 * included); then {@code HOOKS hook=CALLS/NANOS/PIN_NANOS ...}: the time in the agent's hooks
 * during the timed part, as the agent measures and publishes it, and of it the time in the pin
 * call (the rest is the agent's own work; PIN_NANOS is absent from an agent that does not split
 * it; nothing after HOOKS without an agent).
 * Last, through the JVM's agent properties, it checks that the agent pinned every worker when
 * the arm has it (the suite's arms), or that there is no agent, and fails otherwise.
 */
public final class WorkerChurnApp {

    private static final String RULE = "start";
    /** Where each task leaves what it allocated, so that the allocation cannot be optimised away. */
    private static volatile Object lastAllocated;
    /** Whether each ThreadPoolExecutor worker's thread allocates before its worker starts. */
    private static boolean allocateFirst;

    private WorkerChurnApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !(args[0].equals("tpe") || args[0].equals("fj") || args[0].equals("tpe-allocated"))) {
            System.err.println("usage: WorkerChurnApp tpe|fj|tpe-allocated WARMUP COUNT");
            System.exit(2);
        }
        boolean forkJoin = args[0].equals("fj");
        allocateFirst = args[0].equals("tpe-allocated");
        int warmup = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        AgentPresence.awaitStarted(); // every worker, the warm-up's too, starts once the plan is active
        churn(forkJoin, warmup);
        Map<String, long[]> hooks0 = hookTimes();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        churn(forkJoin, count);
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        Map<String, long[]> hooks1 = hookTimes();

        System.out.println("CHURN kind=" + args[0] + " workers=" + count + " wall_ns=" + (t1 - t0) + " cpu_ns="
                + (cpu1 - cpu0));
        StringBuilder hooks = new StringBuilder("HOOKS");
        for (Map.Entry<String, long[]> e : hooks1.entrySet()) {
            long[] before = hooks0.getOrDefault(e.getKey(), new long[3]);
            long[] after = e.getValue();
            hooks.append(' ').append(e.getKey()).append('=').append(after[0] - before[0]).append('/')
                    .append(after[1] - before[1]);
            if (after[2] >= 0) {
                hooks.append('/').append(after[2] - Math.max(0, before[2]));
            }
        }
        System.out.println(hooks); // the time in the agent's hooks in the timed part: calls/nanoseconds/pin-call nanoseconds
        AgentPresence.verify(RULE, warmup + count); // throws, so the process fails, if the arm is not what it says
    }

    /**
     * The time in the agent's hooks so far, hook by hook: {calls, nanoseconds, of them in the pin
     * call (-1 when the agent does not say)} after each hook's first call (which falls in the
     * warm-up); empty without the agent.
     */
    private static Map<String, long[]> hookTimes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        String published = AgentPresence.hookTime();
        if (published != null) {
            for (String word : published.split(" ")) { // hook=FIRST_NANOS/LATER_CALLS/LATER_NANOS[/LATER_PIN_NANOS]
                int eq = word.indexOf('=');
                String[] parts = word.substring(eq + 1).split("/");
                if (eq > 0 && (parts.length == 3 || parts.length == 4)) {
                    out.put(word.substring(0, eq), new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                            parts.length == 4 ? Long.parseLong(parts[3]) : -1});
                }
            }
        }
        return out;
    }

    private static void churn(boolean forkJoin, int workers) throws InterruptedException {
        for (int i = 0; i < workers; i++) {
            if (forkJoin) {
                oneForkJoinWorker(i);
            } else {
                oneThreadPoolWorker(i);
            }
        }
    }

    private static void oneThreadPoolWorker(int i) throws InterruptedException {
        String name = "bench-start-tpe-" + i;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> allocateFirst ? new Thread(() -> {
                    lastAllocated = new long[8];
                    r.run();
                }, name) : new Thread(r, name));
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(() -> task(ran));
        ran.await();
        stop(pool);
    }

    private static void oneForkJoinWorker(int i) throws InterruptedException {
        String name = "bench-start-fj-" + i;
        ForkJoinPool pool = new ForkJoinPool(1, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName(name);
            return t;
        }, null, false);
        CountDownLatch ran = new CountDownLatch(1);
        pool.execute(() -> task(ran));
        ran.await();
        stop(pool);
    }

    /**
     * The task: allocates a little, as every real task does, then says it ran. A thread's first
     * allocation sets up its allocation buffer (10-20 µs measured here): this way a worker pays
     * it in both arms, in the task without the agent and in the agent's first hook with it,
     * instead of in the agent's arm only.
     */
    private static void task(CountDownLatch ran) {
        lastAllocated = new long[8];
        ran.countDown();
    }

    private static void stop(ExecutorService pool) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a one-worker " + pool.getClass().getSimpleName() + " did not terminate");
        }
    }
}
