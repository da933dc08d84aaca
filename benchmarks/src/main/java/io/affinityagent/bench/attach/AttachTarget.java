package io.affinityagent.bench.attach;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running application the attach benchmark attaches to: an order pool of one worker, a batch
 * pool of {@code N} workers and a ForkJoinPool of {@code N} workers, every worker alive and
 * parked in a task, started without any agent. It prints {@code WORKER <name> <tid>} for each
 * and then {@code READY <pid>}, and exits when stdin closes or says anything.
 *
 * <p>Usage: {@code AttachTarget N}
 */
public final class AttachTarget {

    private AttachTarget() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch reported = new CountDownLatch(1 + 2 * n);
        ExecutorService orders = Executors.newFixedThreadPool(1, named("order-"));
        ExecutorService batch = Executors.newFixedThreadPool(n, named("batch-"));
        ForkJoinPool forkJoin = new ForkJoinPool(n, pool -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("fj-" + t.getPoolIndex());
            return t;
        }, null, false);
        Runnable park = () -> {
            System.out.println("WORKER " + Thread.currentThread().getName() + " " + tid());
            reported.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        orders.execute(park);
        for (int i = 0; i < n; i++) {
            batch.execute(park);
            forkJoin.execute(park);
        }
        if (!reported.await(30, TimeUnit.SECONDS)) {
            System.out.println("ERROR not every worker started");
            System.exit(2);
        }
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        release.countDown();
        System.exit(0);
    }

    private static int tid() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName().toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + n.incrementAndGet());
    }
}
