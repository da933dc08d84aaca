package io.affinityagent.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A scriptable application for the integration tests. It reads one command per line on stdin
 * and answers {@code OK <command>} or {@code ERR <reason>} on stdout. Workers report
 * themselves as {@code WORKER <pool> <thread name> <tid> <allowed CPUs>} when their task starts.
 *
 * <pre>
 * pool NAME fixed|scheduled|order|priority-order|plain SIZE PREFIX   a ThreadPoolExecutor of SIZE workers
 * pool NAME virtual-workers SIZE PREFIX                                 one whose workers are virtual threads
 * pool NAME cached KEEPALIVE_MS PREFIX                                  0..many workers that expire
 * pool NAME forkjoin PARALLELISM                                        new ForkJoinPool(PARALLELISM)
 * pool NAME forkjoin-keepalive PARALLELISM KEEPALIVE_MS                  one whose idle workers end after KEEPALIVE_MS
 * pool NAME common                                                      ForkJoinPool.commonPool()
 * occupy NAME COUNT          COUNT tasks that report and then block; answers once COUNT reported
 * release NAME               lets every blocked task of NAME finish
 * kill NAME THREAD           the blocked task on THREAD throws, its worker dies; answers once it is dead
 * shutdown NAME              shutdown and await termination
 * parallel-stream WORKERS    a parallel stream on the common pool until WORKERS pool threads took part
 * virtual CARRIERS           virtual threads that stay mounted until CARRIERS carriers reported
 * pools-in-a-row COUNT PREFIX  COUNT fixed pools of 2, one after the other; reports how many had
 *                            their two workers on different CPUs
 * threads NAME COUNT PREFIX plain|subclass|overriding|per-task
 *                            COUNT platform threads of no pool, named PREFIX1..: each reports as a
 *                            WORKER of NAME, then waits; subclass leaves run() alone (as Netty's,
 *                            Tomcat's and Kafka's threads do), overriding replaces it, per-task has
 *                            a JDK 21+ thread-per-task executor start them (Thread.start(ThreadContainer))
 * end NAME THREAD            that thread of NAME returns from its task; answers once it has ended
 * from POOL COMMAND...       runs COMMAND on a worker of POOL (so the threads it starts are started
 *                            by that worker), e.g. from p threads c 1 child- plain
 * available                  waits up to 10 s for Runtime.availableProcessors() to equal the size of
 *                            this thread's mask, and reports both
 * abandon NAME               lets NAME's tasks finish and drops every reference to the pool, without
 *                            shutting it down (a weak one is kept, to tell when it is collected)
 * collected NAME             runs the collector; answers "collected=true" once the abandoned pool is gone
 * listen                     opens a server socket on 127.0.0.1 (a control for the tests that look for
 *                            sockets); answers "port=N"
 * exit
 * </pre>
 */
public final class PoolLab {

    private static final Map<String, ExecutorService> POOLS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, Gate> GATES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, java.util.List<Thread>> THREADS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.List<java.net.ServerSocket> LISTENING = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final Map<String, java.lang.ref.WeakReference<ExecutorService>> ABANDONED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Where the blocked tasks of one pool wait. */
    static final class Gate {
        final AtomicInteger reported = new AtomicInteger();
        boolean released;
        final Set<String> toKill = new HashSet<>();

        synchronized void await(String thread) {
            while (!released && !toKill.contains(thread)) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (toKill.remove(thread)) {
                throw new IllegalStateException("killed by the test: " + thread);
            }
        }

        synchronized void release() {
            released = true;
            notifyAll();
        }

        synchronized void kill(String thread) {
            toKill.add(thread);
            notifyAll();
        }

        synchronized void reset() {
            released = false;
        }
    }

    private PoolLab() {
    }

    public static void main(String[] args) throws Exception {
        serve(PoolLab::run);
    }

    /** One command, split on spaces; returns what to print after {@code OK}. */
    /** Printed on stderr just before READY; the tests' reader drops it (see TargetJvm). */
    public static final String STDERR_MARKER = "lab: stderr caught up";

    interface Commands {
        String run(String[] command) throws Exception;
    }

    /**
     * The labs' protocol: {@code READY PID}, then one line per command from stdin answered with
     * {@code OK command [-> detail]} or {@code ERR command -> exception}; {@code exit} ends it.
     */
    static void serve(Commands commands) throws Exception {
        AgentStarted.await();
        System.err.println(STDERR_MARKER);
        System.err.flush();
        System.out.println("READY " + selfPid());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("exit")) {
                System.out.println("OK exit");
                System.exit(0);
            }
            try {
                String detail = commands.run(line.split(" "));
                System.out.println("OK " + line + (detail.isEmpty() ? "" : " -> " + detail));
            } catch (Exception e) {
                System.out.println("ERR " + line + " -> " + e);
            }
        }
    }

    static String run(String[] c) throws Exception {
        switch (c[0]) {
            case "pool":
                POOLS.put(c[1], newPool(c));
                GATES.put(c[1], new Gate());
                return "";
            case "occupy":
                return occupy(c[1], Integer.parseInt(c[2]));
            case "release":
                GATES.get(c[1]).release();
                return "";
            case "kill":
                return kill(c[1], c[2]);
            case "shutdown":
                ExecutorService p = POOLS.get(c[1]);
                GATES.get(c[1]).release();
                p.shutdown();
                if (!p.awaitTermination(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("pool " + c[1] + " did not terminate");
                }
                return "";
            case "parallel-stream":
                return parallelStream(Integer.parseInt(c[1]));
            case "virtual":
                return virtual(Integer.parseInt(c[1]));
            case "pools-in-a-row":
                return poolsInARow(Integer.parseInt(c[1]), c[2]);
            case "threads":
                return threads(c[1], Integer.parseInt(c[2]), c[3], c[4]);
            case "end":
                return end(c[1], c[2]);
            case "from":
                return from(c[1], java.util.Arrays.copyOfRange(c, 2, c.length));
            case "available":
                return available();
            case "delayed":
                // JDK 25: starts the common pool's delay scheduler, a Thread subclass that overrides run().
                new java.util.concurrent.CompletableFuture<Object>().orTimeout(1, TimeUnit.HOURS);
                return "";
            case "abandon":
                GATES.remove(c[1]).release();
                ABANDONED.put(c[1], new java.lang.ref.WeakReference<>(POOLS.remove(c[1])));
                return "";
            case "collected":
                System.gc();
                return "collected=" + (ABANDONED.get(c[1]).get() == null);
            case "listen":
                java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                LISTENING.add(socket);
                return "port=" + socket.getLocalPort();
            default:
                throw new IllegalArgumentException("unknown command " + c[0]);
        }
    }

    private static ExecutorService newPool(String[] c) {
        String kind = c[2];
        switch (kind) {
            case "fixed":
                return Executors.newFixedThreadPool(Integer.parseInt(c[3]), named(c[4]));
            case "plain":
                return new ThreadPoolExecutor(Integer.parseInt(c[3]), Integer.parseInt(c[3]), 0, TimeUnit.SECONDS,
                        new java.util.concurrent.LinkedBlockingQueue<>(), named(c[4]));
            case "scheduled":
                return Executors.newScheduledThreadPool(Integer.parseInt(c[3]), named(c[4]));
            case "order":
                return new OrderExecutor(Integer.parseInt(c[3]), named(c[4]));
            case "priority-order":
                return new PriorityOrderExecutor(Integer.parseInt(c[3]), named(c[4]));
            case "cached":
                return new ThreadPoolExecutor(0, Integer.MAX_VALUE, Long.parseLong(c[3]), TimeUnit.MILLISECONDS,
                        new SynchronousQueue<>(), named(c[4]));
            case "virtual-workers":
                return new ThreadPoolExecutor(Integer.parseInt(c[3]), Integer.parseInt(c[3]), 0, TimeUnit.SECONDS,
                        new java.util.concurrent.LinkedBlockingQueue<>(), virtualThreadFactory(c[4]));
            case "forkjoin":
                return new ForkJoinPool(Integer.parseInt(c[3]));
            case "forkjoin-keepalive":
                return new ForkJoinPool(Integer.parseInt(c[3]), ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, false,
                        0, Integer.parseInt(c[3]), 1, null, Long.parseLong(c[4]), TimeUnit.MILLISECONDS);
            case "common":
                return ForkJoinPool.commonPool();
            default:
                throw new IllegalArgumentException("unknown pool kind " + kind);
        }
    }

    /** Thread.ofVirtual().name(prefix, 1).factory(), by reflection: this class is compiled for JDK 17. */
    private static ThreadFactory virtualThreadFactory(String prefix) {
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no virtual threads in this JDK", e);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + n.incrementAndGet());
    }

    private static String occupy(String pool, int count) throws InterruptedException {
        ExecutorService executor = POOLS.get(pool);
        Gate gate = GATES.get(pool);
        gate.reset();
        int target = gate.reported.get() + count;
        for (int i = 0; i < count; i++) {
            executor.execute(() -> {
                report("WORKER " + pool);
                gate.reported.incrementAndGet();
                gate.await(Thread.currentThread().getName());
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gate.reported.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + gate.reported.get() + " of " + target + " workers reported");
            }
            Thread.sleep(5);
        }
        return "";
    }

    /** Like Netty's FastThreadLocalThread, Tomcat's TaskThread, Kafka's KafkaThread: a subclass that leaves run() alone. */
    static final class NamedThread extends Thread {
        NamedThread(Runnable task, String name) {
            super(task, name);
        }
    }

    /** A subclass whose run() does not call super.run(): Thread.run is never entered. */
    static final class OverridingThread extends Thread {
        private final Runnable task;

        OverridingThread(Runnable task, String name) {
            super(name);
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }
    }

    private static String threads(String name, int count, String prefix, String kind) throws Exception {
        Gate gate = GATES.computeIfAbsent(name, n -> new Gate());
        java.util.List<Thread> threads = THREADS.computeIfAbsent(name, n -> new java.util.concurrent.CopyOnWriteArrayList<>());
        int target = gate.reported.get() + count;
        int first = threads.size() + 1;
        ExecutorService perTask = kind.equals("per-task") ? threadPerTaskExecutor(prefix, first) : null;
        for (int i = 0; i < count; i++) {
            String threadName = prefix + (first + i);
            Runnable task = () -> {
                report("WORKER " + name);
                gate.reported.incrementAndGet();
                try {
                    gate.await(threadName);
                } catch (IllegalStateException ended) {
                    // "end": the thread returns from its task normally
                }
            };
            Thread t;
            switch (kind) {
                case "plain":
                    t = new Thread(task, threadName);
                    break;
                case "subclass":
                    t = new NamedThread(task, threadName);
                    break;
                case "overriding":
                    t = new OverridingThread(task, threadName);
                    break;
                case "per-task":
                    perTask.execute(task); // the executor names and starts the thread
                    continue;
                default:
                    throw new IllegalArgumentException("unknown thread kind " + kind);
            }
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        awaitReported(gate, target);
        return "";
    }

    /** Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name(prefix, first).factory()), by reflection (JDK 21+). */
    private static ExecutorService threadPerTaskExecutor(String prefix, int first) throws Exception {
        Class<?> builderType = Class.forName("java.lang.Thread$Builder");
        Object builder = Thread.class.getMethod("ofPlatform").invoke(null);
        builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, (long) first);
        Object platform = Class.forName("java.lang.Thread$Builder$OfPlatform").getMethod("daemon", boolean.class)
                .invoke(builder, true);
        ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(platform);
        return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
                .invoke(null, factory);
    }

    private static String end(String name, String threadName) throws InterruptedException {
        Thread victim = null;
        for (Thread t : THREADS.get(name)) {
            if (t.getName().equals(threadName)) {
                victim = t;
            }
        }
        if (victim == null) {
            throw new IllegalArgumentException("no thread " + threadName + " in " + name);
        }
        GATES.get(name).kill(threadName);
        victim.join(30_000);
        if (victim.isAlive()) {
            throw new IllegalStateException(threadName + " did not end");
        }
        return "";
    }

    /** Runs a command on a worker of {@code pool}, so whatever it starts is started by that worker. */
    private static String from(String pool, String[] command) throws Exception {
        java.util.concurrent.Future<String> result = POOLS.get(pool).submit(() -> run(command) + " on=" + threadSelfId());
        return result.get(60, TimeUnit.SECONDS);
    }

    private static String available() throws InterruptedException {
        int maskSize = cpuCount(allowedCpus());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // JDK 17 in a container caches the processor count for a few ms: wait for it to catch up.
        while (Runtime.getRuntime().availableProcessors() != maskSize && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return "available=" + Runtime.getRuntime().availableProcessors() + " mask=" + allowedCpus();
    }

    private static int cpuCount(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            n += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
        }
        return n;
    }

    private static void awaitReported(Gate gate, int target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gate.reported.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + gate.reported.get() + " of " + target + " threads reported");
            }
            Thread.sleep(5);
        }
    }

    private static String kill(String pool, String threadName) throws InterruptedException {
        Thread victim = null;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(threadName)) {
                victim = t;
            }
        }
        if (victim == null) {
            throw new IllegalArgumentException("no thread " + threadName);
        }
        GATES.get(pool).kill(threadName);
        victim.join(30_000);
        if (victim.isAlive()) {
            throw new IllegalStateException(threadName + " did not die");
        }
        return "";
    }

    private static String parallelStream(int workers) {
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        IntStream.range(0, 256).parallel().forEach(i -> {
            Thread t = Thread.currentThread();
            if (t instanceof ForkJoinWorkerThread && seen.add(t.getName())) {
                report("WORKER common-stream");
            }
            // Keep every element busy until enough pool threads have joined in.
            while (seen.size() < workers && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        });
        return "workers=" + seen.size();
    }

    private static String virtual(int carriers) throws Exception {
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Method ofVirtual = Thread.class.getMethod("ofVirtual");
        Object builder = ofVirtual.invoke(null);
        Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
        Thread[] threads = new Thread[carriers * 4];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = (Thread) start.invoke(builder, (Runnable) () -> {
                String tid = threadSelfId();
                if (seen.add(tid)) {
                    System.out.println("CARRIER " + tid + " " + allowedCpus());
                }
                // Spin without blocking, so the virtual thread stays on its carrier.
                while (seen.size() < carriers && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        return "carriers=" + seen.size();
    }

    private static String poolsInARow(int count, String prefix) throws InterruptedException {
        int different = 0;
        StringBuilder same = new StringBuilder();
        for (int i = 0; i < count; i++) {
            java.util.List<Thread> started = new java.util.concurrent.CopyOnWriteArrayList<>();
            ThreadFactory named = named(prefix + i + "-");
            ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
                Thread t = named.newThread(r);
                started.add(t);
                return t;
            });
            String[] cpus = new String[2];
            java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
            AtomicInteger slot = new AtomicInteger();
            for (int k = 0; k < 2; k++) {
                pool.execute(() -> {
                    cpus[slot.getAndIncrement()] = allowedCpus();
                    both.countDown();
                    try {
                        both.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            both.await();
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            // Termination is declared by the first worker to exit once the worker count is zero,
            // which can be before the other worker has run its exit path (and given its CPU
            // back); the next pool must start only when both have, so wait for the threads.
            for (Thread t : started) {
                t.join(30_000);
            }
            if (cpus[0].equals(cpus[1])) {
                same.append(same.length() > 0 ? "," : "").append(i).append(':').append(cpus[0]);
            } else {
                different++;
            }
        }
        return "different=" + different + " same=[" + same + "]";
    }

    private static void report(String prefix) {
        System.out.println(prefix + " " + Thread.currentThread().getName() + " " + threadSelfId() + " " + allowedCpus());
    }

    static String threadSelfId() {
        try {
            return Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName().toString();
        } catch (IOException e) {
            return "?";
        }
    }

    static String allowedCpus() {
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/thread-self/status"))) {
                if (l.startsWith("Cpus_allowed_list:")) {
                    return l.substring("Cpus_allowed_list:".length()).trim();
                }
            }
        } catch (IOException e) {
            return "?";
        }
        return "?";
    }

    static String selfPid() {
        try {
            return Files.readSymbolicLink(Paths.get("/proc/self")).getFileName().toString();
        } catch (IOException e) {
            return "?";
        }
    }
}
