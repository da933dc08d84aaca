package io.affinityagent.bench.jmh;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The time from handing a new pool its first task to that task running on a new worker: the
 * thread's creation and start, and with the agent the start hook and the pin. Each invocation
 * gets a fresh one-worker pool (made before the clock starts; shut down, the worker's exit
 * included, after it stops). With the agent (config benchmarks/configs/worker-start.properties)
 * each worker is pinned round-robin to one CPU of the process, a real move for a thread that
 * started elsewhere.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WorkerStartBenchmark {

    @State(Scope.Thread)
    public static class ThreadPoolWorker {
        ThreadPoolExecutor pool;
        CountDownLatch firstTask;
        final Runnable signal = () -> firstTask.countDown();

        @Setup(Level.Trial)
        public void checkAgent() throws InterruptedException {
            AgentPresence.awaitStarted();
            newPool();
            pool.execute(signal);
            firstTask.await();
            stopPool();
            AgentPresence.verify("start", 1);
        }

        @Setup(Level.Invocation)
        public void newPool() {
            pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    NamedThreads.plain("bench-start-tpe-"));
            firstTask = new CountDownLatch(1);
        }

        @TearDown(Level.Invocation)
        public void stopPool() throws InterruptedException {
            pool.shutdown();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a one-worker pool did not terminate");
            }
        }
    }

    @State(Scope.Thread)
    public static class ForkJoinWorker {
        ForkJoinPool pool;
        CountDownLatch firstTask;
        final Runnable signal = () -> firstTask.countDown();

        @Setup(Level.Trial)
        public void checkAgent() throws InterruptedException {
            AgentPresence.awaitStarted();
            newPool();
            pool.execute(signal);
            firstTask.await();
            stopPool();
            AgentPresence.verify("start", 1);
        }

        @Setup(Level.Invocation)
        public void newPool() {
            pool = new ForkJoinPool(1, NamedThreads.forkJoin("bench-start-fj-"), null, false);
            firstTask = new CountDownLatch(1);
        }

        @TearDown(Level.Invocation)
        public void stopPool() throws InterruptedException {
            pool.shutdown();
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a one-worker pool did not terminate");
            }
        }
    }

    @Benchmark
    public void threadPoolWorker(ThreadPoolWorker s) throws InterruptedException {
        s.pool.execute(s.signal);
        s.firstTask.await();
    }

    @Benchmark
    public void forkJoinWorker(ForkJoinWorker s) throws InterruptedException {
        s.pool.execute(s.signal);
        s.firstTask.await();
    }
}
