package io.affinityagent.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For the start-up tests' small applications: a fixed pool of two workers, each of which reports
 * itself ({@code WORKER <pool> <thread name> <tid> <allowed CPUs>}, as PoolLab's do) and then
 * stays alive, idle in its pool, so that the test can read /proc.
 */
final class TwoWorkers {

    private TwoWorkers() {
    }

    /** Starts the pool and returns once both workers have reported. Uses no class but its own and PoolLab's. */
    static ExecutorService start(String pool, String prefix) throws InterruptedException {
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, prefix + n.incrementAndGet()));
        CountDownLatch both = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            executor.execute(() -> {
                System.out.println("WORKER " + pool + " " + Thread.currentThread().getName() + " " + PoolLab.threadSelfId()
                        + " " + PoolLab.allowedCpus());
                both.countDown();
                try {
                    both.await(); // both at once, so that the pool has two workers
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        both.await();
        return executor;
    }

    /** Says READY once the agent has started, then waits for "exit" (or the end of stdin) and exits. */
    static void readyThenWaitForExit() throws IOException, InterruptedException {
        AgentStarted.await();
        System.out.println("READY " + PoolLab.selfPid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("exit")) {
            System.out.println("ERR " + line + " -> this application only knows exit");
        }
        System.out.println("OK exit");
        System.exit(0);
    }
}
