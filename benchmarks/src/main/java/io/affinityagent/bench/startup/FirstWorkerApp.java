package io.affinityagent.bench.startup;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The first pool worker of an application that runs after the agent has started: prints
 * {@code FIRST-WORKER-US N}, the µs from submitting the first task to that task running on the
 * pool's new worker (thread creation, the agent's hooks and pin, the start). The one-off work the
 * agent does before its first pin lands here if the agent leaves it to that pin.
 * benchmarks/first-worker-ab.sh runs it.
 */
public final class FirstWorkerApp {

    private FirstWorkerApp() {
    }

    public static void main(String[] args) throws Exception {
        // premain started the agent's start thread before main: once it has ended, the agent has started.
        while (agentStartThreadRuns()) {
            Thread.sleep(1);
        }
        ExecutorService pool = Executors.newFixedThreadPool(1, r -> new Thread(r, "app-first"));
        AtomicLong ran = new AtomicLong();
        long submitted = System.nanoTime();
        pool.submit(() -> ran.set(System.nanoTime())).get();
        System.out.println("FIRST-WORKER-US " + (ran.get() - submitted) / 1000);
        pool.shutdown();
    }

    /** Whether the agent's start thread ({@code affinity-start}) is still alive. */
    private static boolean agentStartThreadRuns() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            if (threads[i].getName().equals("affinity-start")) {
                return true;
            }
        }
        return false;
    }
}
