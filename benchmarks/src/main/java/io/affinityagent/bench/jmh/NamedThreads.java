package io.affinityagent.bench.jmh;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories that name the benchmark's workers, so the agent's rules match them and nothing else. */
final class NamedThreads {

    private NamedThreads() {
    }

    static ThreadFactory plain(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + n.incrementAndGet());
    }

    static ForkJoinPool.ForkJoinWorkerThreadFactory forkJoin(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName(prefix + n.incrementAndGet());
            return t;
        };
    }
}
