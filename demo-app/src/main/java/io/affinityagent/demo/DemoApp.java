package io.affinityagent.demo;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.ConfigProblem;
import io.affinityagent.config.CpuContext;
import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small service with an order pool, a batch pool and the common pool. Once every worker is up
 * it reads where each one may run from /proc and prints it beside what the config promised;
 * it exits 1 if any worker sits where the config did not put it.
 *
 * <p>Usage: {@code java -javaagent:affinity-agent.jar=config=FILE -cp ... DemoApp FILE}
 */
public final class DemoApp {

    private DemoApp() {
    }

    /** One running worker, as the demo saw it. */
    static final class Seen {
        final String name;
        final int tid;
        final PoolKind kind;

        Seen(String name, int tid, PoolKind kind) {
            this.name = name;
            this.tid = tid;
            this.kind = kind;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: DemoApp CONFIG-FILE");
            System.exit(2);
        }
        Path configFile = Paths.get(args[0]);
        ProcFs proc = ProcFs.system();
        long pid = proc.selfPid();
        CpuSet processCpus = proc.processAllowedCpus(pid);
        ConfigLoader.Result result = ConfigLoader.load(configFile, CpuContext.of(processCpus), ConfigLoader.Overrides.NONE);
        if (!result.ok()) {
            for (ConfigProblem p : result.problems()) {
                System.out.println("config: " + p);
            }
            System.exit(2);
        }
        AgentConfig config = result.config();

        List<Seen> seen = new ArrayList<>();
        int batchWorkers = Math.max(1, processCpus.size() - 1) * 2;
        ExecutorService orders = Executors.newFixedThreadPool(1, named("order-"));
        ExecutorService batch = Executors.newFixedThreadPool(batchWorkers, named("batch-"));
        CountDownLatch allUp = new CountDownLatch(1 + batchWorkers + 1);
        CountDownLatch done = new CountDownLatch(1);
        submit(orders, 1, PoolKind.THREAD_POOL, seen, allUp, done);
        submit(batch, batchWorkers, PoolKind.THREAD_POOL, seen, allUp, done);
        submit(ForkJoinPool.commonPool(), 1, PoolKind.COMMON_POOL, seen, allUp, done);
        if (!allUp.await(30, TimeUnit.SECONDS)) {
            System.out.println("not every worker started within 30 s");
            System.exit(2);
        }

        System.out.printf("%-34s %8s %-8s %-10s %-10s %s%n", "WORKER", "TID", "RULE", "PROMISED", "/PROC", "OK");
        int wrong = 0;
        for (Seen s : seen) {
            Rule rule = null;
            for (Rule r : config.rules()) {
                if (r.matches(s.name, s.kind, s.kind == PoolKind.COMMON_POOL ? ForkJoinPool.class : java.util.concurrent.ThreadPoolExecutor.class)) {
                    rule = r;
                    break;
                }
            }
            CpuSet actual = proc.threadAllowedCpus(pid, s.tid);
            CpuSet promised = rule == null ? processCpus : rule.cpus();
            // Round-robin gives each worker one CPU of its rule; shared gives it all of them.
            boolean ok = rule != null && rule.strategy() == io.affinityagent.config.Strategy.ROUND_ROBIN
                    ? actual.size() == 1 && promised.containsAll(actual)
                    : actual.equals(promised);
            wrong += ok ? 0 : 1;
            System.out.printf("%-34s %8d %-8s %-10s %-10s %s%n", s.name, s.tid, rule == null ? "-" : rule.name(),
                    promised, actual, ok ? "yes" : "NO");
        }
        done.countDown();
        orders.shutdown();
        batch.shutdown();
        System.out.println(wrong == 0 ? "every worker is where the config put it" : wrong + " workers are NOT where the config put them");
        System.exit(wrong == 0 ? 0 : 1);
    }

    private static void submit(java.util.concurrent.Executor pool, int count, PoolKind kind, List<Seen> seen,
                               CountDownLatch allUp, CountDownLatch done) {
        for (int i = 0; i < count; i++) {
            pool.execute(() -> {
                synchronized (seen) {
                    seen.add(new Seen(Thread.currentThread().getName(), selfTid(), kind));
                }
                allUp.countDown();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + n.incrementAndGet());
    }

    private static int selfTid() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName().toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
