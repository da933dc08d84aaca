package io.affinityagent.bench.jmh;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Tasks per second through a ThreadPoolExecutor and a ForkJoinPool, tiny tasks so that any
 * per-task cost would show. Tasks handed in from outside go to a pool of one worker (the
 * submitter and the worker, with no lock contention between workers to add noise); fork/join
 * runs in a pool of {@code forkJoinWorkers}. The suite runs each method in forks without the
 * agent and forks with it (config benchmarks/configs/task-path.properties: the workers are
 * matched and pinned to every CPU of the process, "shared", so the scheduler has the same choices
 * in both arms and only the agent's own cost can differ), on one CPU and on two.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TaskThroughputBenchmark {

    /** Workers of the pools that take tasks from outside. */
    static final int EXECUTE_WORKERS = 1;
    static final int BATCH = 1000;
    static final int FORK_JOIN_LEAVES = 1024;
    static final int FORK_JOIN_TASKS = 2 * FORK_JOIN_LEAVES - 1;
    /** Work per task: a few tens of nanoseconds. */
    static final long TOKENS = 20;

    /** A batch of tasks handed to an executor; the caller waits until the last one ran. */
    @State(Scope.Benchmark)
    public abstract static class Batch {
        final AtomicInteger remaining = new AtomicInteger();
        volatile Thread waiter;
        final Runnable task = new Runnable() {
            @Override
            public void run() {
                Blackhole.consumeCPU(TOKENS);
                if (remaining.decrementAndGet() == 0) {
                    LockSupport.unpark(waiter);
                }
            }
        };

        void runBatch(Executor executor) {
            waiter = Thread.currentThread();
            remaining.set(BATCH);
            for (int i = 0; i < BATCH; i++) {
                executor.execute(task);
            }
            while (remaining.get() > 0) {
                LockSupport.park(this);
            }
        }

        /** Makes every worker run a task, so that all have started (and been pinned) before measuring. */
        static void startEveryWorker(Executor executor, int workers) throws InterruptedException {
            CountDownLatch all = new CountDownLatch(workers);
            for (int i = 0; i < workers; i++) {
                executor.execute(() -> {
                    all.countDown();
                    try {
                        all.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            if (!all.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the pool's workers did not start");
            }
        }
    }

    public static class ThreadPoolState extends Batch {
        ThreadPoolExecutor pool;

        @Setup(Level.Trial)
        public void start() throws InterruptedException {
            AgentPresence.awaitStarted();
            pool = new ThreadPoolExecutor(EXECUTE_WORKERS, EXECUTE_WORKERS, 0, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), NamedThreads.plain("bench-tpe-"));
            startEveryWorker(pool, EXECUTE_WORKERS);
            AgentPresence.verify("tpe", EXECUTE_WORKERS);
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    public static class ForkJoinState extends Batch {
        ForkJoinPool pool;

        @Setup(Level.Trial)
        public void start() throws InterruptedException {
            AgentPresence.awaitStarted();
            pool = new ForkJoinPool(EXECUTE_WORKERS, NamedThreads.forkJoin("bench-fj-"), null, false);
            startEveryWorker(pool, EXECUTE_WORKERS);
            AgentPresence.verify("fj", EXECUTE_WORKERS);
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    public static class ForkJoinParallelState extends Batch {
        /**
         * The pool's workers: 2 where the JVM has two CPUs or more (stealing included); 1 where the
         * suite confines the JVM to one CPU, where a second worker could only take turns with the
         * first: one keeps the fork/join path itself (push, pop, run, join) and nothing else.
         */
        @Param({"2"})
        public int forkJoinWorkers;
        ForkJoinPool pool;

        @Setup(Level.Trial)
        public void start() throws InterruptedException {
            AgentPresence.awaitStarted();
            pool = new ForkJoinPool(forkJoinWorkers, NamedThreads.forkJoin("bench-fj-"), null, false);
            startEveryWorker(pool, forkJoinWorkers);
            AgentPresence.verify("fj", forkJoinWorkers);
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** BATCH tasks submitted one by one from outside the pool, as a service hands work to its pool. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void threadPoolExecute(ThreadPoolState s) {
        s.runBatch(s.pool);
    }

    /** The same through a ForkJoinPool's external submission queue. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void forkJoinExecute(ForkJoinState s) {
        s.runBatch(s.pool);
    }

    /**
     * Divide and conquer inside the pool: tasks forked and joined by the workers themselves (the
     * caller only waits: on JDK 17 and 25 the leaves run on the pool's workers, never on it).
     */
    @Benchmark
    @OperationsPerInvocation(FORK_JOIN_TASKS)
    public void forkJoinDivideAndConquer(ForkJoinParallelState s) {
        s.pool.invoke(new Split(FORK_JOIN_LEAVES));
    }

    static final class Split extends RecursiveAction {
        private final int leaves;

        Split(int leaves) {
            this.leaves = leaves;
        }

        @Override
        protected void compute() {
            if (leaves <= 1) {
                Blackhole.consumeCPU(TOKENS);
                return;
            }
            int half = leaves / 2;
            invokeAll(new Split(half), new Split(leaves - half));
        }
    }
}
