package io.affinityagent.agent;

import io.affinityagent.config.PoolKind;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.discovery.RunningWorker;
import io.affinityagent.discovery.ThreadDump;
import io.affinityagent.instrument.HookHandlers;
import io.affinityagent.log.AgentLog;
import io.affinityagent.os.AffinityException;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import io.affinityagent.placement.Slot;
import io.affinityagent.registry.HookTimes;
import io.affinityagent.registry.StatusPublisher;
import io.affinityagent.registry.WorkerRecord;
import io.affinityagent.registry.WorkerRegistry;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Applies the current plan to pool workers and other threads: when one starts (find its rule,
 * take a slot, pin the thread, record it), when one exits (give the slot back), and, at
 * attach, to the workers already running (pinned by their native id) or pinned under a plan
 * that was just replaced. Called through the bridge on the thread itself, never on a task path.
 *
 * <p>A thread starts with the mask of the thread that started it. So a thread the agent pinned
 * passes its mask on: a new thread that no rule matches and whose parent the agent pinned gets
 * the process's CPUs back as it starts, and one that a rule matches is pinned explicitly anyway.
 * Threads started by threads the agent did not pin are left alone.
 *
 * <p>Every change to one worker happens under that worker's lock (one of a few striped
 * monitors, never the Thread object, which the application may lock), and ends by checking
 * that the plan did not change meanwhile; so a worker starting while an attach or detach
 * sweeps the running workers ends up placed by the newest plan, whichever side gets there
 * last. Placement decisions are made under the placement's lock; the system calls under the
 * worker's lock only.
 */
public final class WorkerPinner {

    private static final MethodHandle IS_VIRTUAL = findIsVirtual();
    private static final String CARRIER_THREAD_CLASS = "jdk.internal.misc.CarrierThread";
    private static final int LOCK_STRIPES = 64;
    static final String VIRTUAL_SCHEDULER_PARALLELISM = "jdk.virtualThreadScheduler.parallelism";
    /** Groups the threads pinned by any-thread rules, which have no pool, in a sweep. */
    private static final Object ANY_THREAD_GROUP = new Object();

    /** What applying the plan did to one worker. */
    enum Outcome { PINNED, KEPT, RELEASED, UNMATCHED, FAILED }

    private final WorkerRegistry registry;
    private final CpuAffinity affinity;
    private final AgentLog log;
    private final StatusPublisher status;
    /** Publish on every start and exit (else the status is written when it is read: {@link #publishAll}). */
    private final boolean publishEachChange;
    private final ProcFs procFs;
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final HookTimes hookTimes = new HookTimes();
    private volatile Plan plan;
    private volatile Runnable beforeFirstPin;
    private volatile boolean readyToPin;
    private boolean preparing;

    public WorkerPinner(Plan plan, WorkerRegistry registry, CpuAffinity affinity, AgentLog log, StatusPublisher status) {
        this.plan = plan;
        this.registry = registry;
        this.affinity = affinity;
        this.log = log;
        this.status = status;
        this.publishEachChange = !status.refreshedOnRead();
        this.procFs = ProcFs.system();
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    public Plan plan() {
        return plan;
    }

    /**
     * Writes the whole live status afresh from the registry: every rule's loads and counters,
     * every thread the agent placed, the reset count, the hooks' own time. Run before each read
     * of the status.
     */
    public void publishAll() {
        status.replaceLiveLines(new Runnable() {
            @Override
            public void run() {
                if (plan == null) {
                    return; // detached: no rules, no threads
                }
                publishRules();
                for (Map.Entry<Thread, WorkerRecord> e : registry.workers()) {
                    status.workerStarted(e.getValue());
                }
                long resets = registry.inheritedMasksReset();
                if (resets > 0) {
                    status.inheritedMasksReset(resets);
                }
                status.hookTimes(hookTimes);
            }
        });
    }

    /** Publishes every rule of the plan, loads and counters, as they are now. */
    public void publishRules() {
        Plan p = plan;
        if (p != null) {
            for (Plan.RulePlacement rp : p.rules()) {
                status.ruleChanged(rp.rule(), rp.placement(), registry.counters(rp.rule().name()));
            }
        }
    }

    /**
     * Work that must be done before the agent pins any thread (hooking Thread.start, so that the
     * masks a pinned thread passes on are seen). Run once, by the first thread to be pinned,
     * while any other waits.
     */
    public void setBeforeFirstPin(Runnable work) {
        this.beforeFirstPin = work;
    }

    /** Replaces the rules new workers are matched against; null stops pinning. */
    public void setPlan(Plan plan) {
        this.plan = plan;
    }

    public WorkerRegistry registry() {
        return registry;
    }

    /** Every handler the bridge calls, pointing here. */
    public HookHandlers hookHandlers() {
        return new HookHandlers(startHandler(), exitHandler(), threadRunHandler(), threadStartHandler(),
                poolWorkerCreatedHandler());
    }

    /** How long the agent's handlers have taken, hook by hook. */
    public HookTimes hookTimes() {
        return hookTimes;
    }

    // The handlers are classes, not lambdas: cheaper at start-up. Each one times itself.

    /** The handler the bridge calls when a worker starts. */
    public BiConsumer<Object, Thread> startHandler() {
        return new BiConsumer<Object, Thread>() {
            @Override
            public void accept(Object pool, Thread worker) {
                long t0 = System.nanoTime();
                try {
                    onWorkerStart(pool, worker);
                } finally {
                    hookTimes.record(HookTimes.Hook.WORKER_START, System.nanoTime() - t0);
                }
            }
        };
    }

    /** The handler the bridge calls when a worker, or any platform thread, exits. */
    public Consumer<Thread> exitHandler() {
        return new Consumer<Thread>() {
            @Override
            public void accept(Thread worker) {
                long t0 = System.nanoTime();
                try {
                    onWorkerExit(worker);
                } finally {
                    hookTimes.record(HookTimes.Hook.WORKER_EXIT, System.nanoTime() - t0);
                }
            }
        };
    }

    /** The handler the bridge calls when a platform thread starts running (Thread.run). */
    public Consumer<Thread> threadRunHandler() {
        return new Consumer<Thread>() {
            @Override
            public void accept(Thread thread) {
                long t0 = System.nanoTime();
                try {
                    onThreadRun(thread);
                } finally {
                    hookTimes.record(HookTimes.Hook.THREAD_RUN, System.nanoTime() - t0);
                }
            }
        };
    }

    /** The handler the bridge calls on the parent when it starts a thread (Thread.start). */
    public Consumer<Thread> threadStartHandler() {
        return new Consumer<Thread>() {
            @Override
            public void accept(Thread child) {
                long t0 = System.nanoTime();
                try {
                    onThreadStart(child);
                } finally {
                    hookTimes.record(HookTimes.Hook.THREAD_START, System.nanoTime() - t0);
                }
            }
        };
    }

    /** The handler the bridge calls when a ThreadPoolExecutor has made a worker's thread. */
    public Consumer<Thread> poolWorkerCreatedHandler() {
        return new Consumer<Thread>() {
            @Override
            public void accept(Thread thread) {
                long t0 = System.nanoTime();
                try {
                    onPoolWorkerCreated(thread);
                } finally {
                    hookTimes.record(HookTimes.Hook.WORKER_CREATED, System.nanoTime() - t0);
                }
            }
        };
    }

    /** A worker of {@code pool} is about to run its first task; {@code worker} is the current thread. */
    public void onWorkerStart(Object pool, Thread worker) {
        Plan p = plan;
        if (p == null || pool == null || worker != Thread.currentThread() || isVirtual(worker)) {
            return;
        }
        PoolKind kind = kindOf(pool, worker);
        if (kind == null) {
            return;
        }
        boolean inheritedPin = registry.takeMarks(worker, WorkerRegistry.ThreadMark.STARTED_BY_PINNED);
        Outcome outcome;
        synchronized (lockFor(worker)) {
            outcome = apply(worker, pool, kind, currentThreadId(), true, null, true);
        }
        if (outcome == Outcome.UNMATCHED && inheritedPin) {
            resetInheritedMask(p, worker);
        }
    }

    /**
     * A platform thread starts running (Thread.run, on the thread): pin it if an any-thread rule
     * matches its name; else, if it inherited a mask the agent set, give it the process's CPUs.
     * Pool workers are left to their pool's hook, which comes next.
     */
    public void onThreadRun(Thread thread) {
        Plan p = plan;
        if (p == null || thread != Thread.currentThread() || isVirtual(thread) || thread instanceof ForkJoinWorkerThread
                || registry.isMarked(thread, WorkerRegistry.ThreadMark.POOL_WORKER) || registry.get(thread) != null) {
            return;
        }
        boolean inheritedPin = registry.takeMarks(thread, WorkerRegistry.ThreadMark.STARTED_BY_PINNED);
        Outcome outcome = Outcome.UNMATCHED;
        if (p.hasAnyThreadRules()) {
            synchronized (lockFor(thread)) {
                outcome = apply(thread, null, PoolKind.ANY_THREAD, currentThreadId(), true, null, true);
            }
        }
        if (outcome == Outcome.UNMATCHED && inheritedPin) {
            resetInheritedMask(p, thread);
        }
    }

    /** On the parent, as it starts {@code child}: note whether the child inherits a mask the agent set. */
    public void onThreadStart(Thread child) {
        if (plan == null || !registry.anyPinned()) {
            return; // nothing pinned, nothing to inherit: no system call
        }
        if (registry.isPinned(affinity.currentThreadId())) {
            registry.mark(child, WorkerRegistry.ThreadMark.STARTED_BY_PINNED);
        }
    }

    /** A ThreadPoolExecutor made {@code thread} for a worker: runWorker will decide for it, not Thread.run. */
    public void onPoolWorkerCreated(Thread thread) {
        if (plan != null) {
            registry.mark(thread, WorkerRegistry.ThreadMark.POOL_WORKER);
        }
    }

    /** The current thread inherited a pinned mask and no rule wants it: the process's CPUs, as without the agent. */
    private void resetInheritedMask(Plan p, Thread thread) {
        CpuSet processCpus = p.config().processCpus();
        try {
            affinity.setCurrentThread(processCpus);
            long resets = registry.countInheritedMaskReset();
            if (publishEachChange) {
                status.inheritedMasksReset(resets);
            }
            if (log.isDebug()) {
                log.debug("gave \"" + thread.getName() + "\" (tid " + affinity.currentThreadId() + "), started by a pinned"
                        + " thread and matched by no rule, the process's CPUs " + processCpus + " back");
            }
        } catch (AffinityException e) {
            log.warnOnce("inherited-mask/" + e.errno(), "cannot give \"" + thread.getName() + "\", started by a pinned"
                    + " thread, the process's CPUs back: " + e.getMessage() + "; it keeps its parent's"
                    + " (later failures for the same reason are not reported)");
        }
    }

    /** A worker is exiting: its slot goes back before the pool starts a replacement. */
    public void onWorkerExit(Thread worker) {
        WorkerRecord record;
        synchronized (lockFor(worker)) {
            record = registry.workerExited(worker);
        }
        if (record != null && publishEachChange) {
            status.workerExited(record);
            publishRule(record);
        }
    }

    /**
     * Whether some running worker that the plan matches is not in the registry yet, so that a
     * thread dump is worth its safepoint (it is the only source of their native ids).
     */
    public boolean needsNativeIds(List<RunningWorker> running) {
        Plan p = plan;
        if (p == null) {
            return false;
        }
        for (RunningWorker w : running) {
            Thread t = w.thread();
            PoolKind kind = isVirtual(t) ? null : kindOf(w.pool(), t);
            if (kind != null && registry.get(t) == null && p.match(t.getName(), kind, w.pool().getClass()) != null) {
                return true;
            }
        }
        return false;
    }

    /** What {@link #applyToRunning} did, worker by worker, for the reply. */
    public static final class Sweep {
        int pinned;
        int kept;
        int released;
        int failed;
        final List<String> unmapped = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        public int pinned() {
            return pinned;
        }

        public int kept() {
            return kept;
        }

        public int released() {
            return released;
        }

        public int failed() {
            return failed;
        }

        /** Running pool workers left as they were because their native id was not found. */
        public List<String> unmapped() {
            return unmapped;
        }

        public List<String> failures() {
            return failures;
        }
    }

    /**
     * Applies the current plan (null: detached) to every worker that is running: those found
     * by discovery, and those the registry holds from an earlier plan. Workers are taken pool
     * by pool, in thread order, so each rule's round-robin spreads every pool over its CPUs.
     * Workers not pinned yet are pinned by native id, which {@code dump} gives (null when the
     * dump could not be taken: only workers already in the registry can be handled then).
     */
    public Sweep applyToRunning(List<RunningWorker> running, ThreadDump dump) {
        Map<Thread, Candidate> candidates = new IdentityHashMap<>();
        Map<Object, List<Thread>> byPool = new IdentityHashMap<>();
        List<Object> poolOrder = new ArrayList<>();
        for (RunningWorker w : running) {
            Thread t = w.thread();
            PoolKind kind = isVirtual(t) ? null : kindOf(w.pool(), t);
            if (kind != null && candidates.put(t, new Candidate(w.pool(), kind, w.javaId())) == null) {
                group(byPool, poolOrder, w.pool(), t);
            }
        }
        for (Map.Entry<Thread, WorkerRecord> e : registry.workers()) {
            WorkerRecord r = e.getValue();
            boolean anyThread = r.poolKind() == PoolKind.ANY_THREAD; // no pool: grouped together
            Object pool = anyThread ? ANY_THREAD_GROUP : r.pool();
            if (pool != null && !candidates.containsKey(e.getKey())) {
                candidates.put(e.getKey(), new Candidate(anyThread ? null : pool, r.poolKind(), r.javaThreadId()));
                group(byPool, poolOrder, pool, e.getKey());
            }
        }

        Sweep sweep = new Sweep();
        CpuSet processMask = processMask();
        for (Object pool : poolOrder) {
            for (Thread t : byPool.get(pool)) {
                Candidate c = candidates.get(t);
                synchronized (lockFor(t)) {
                    if (registry.hasExited(t) || !t.isAlive()) {
                        continue;
                    }
                    WorkerRecord current = registry.get(t);
                    int tid = current != null ? current.nativeThreadId() : nativeIdOf(t, c.javaId, dump);
                    if (tid <= 0) {
                        Plan p = plan;
                        if (p != null && p.match(t.getName(), c.kind, c.pool == null ? null : c.pool.getClass()) != null) {
                            sweep.unmapped.add(t.getName());
                        }
                        continue;
                    }
                    // Not published one by one: the caller publishes the whole status afresh after.
                    count(sweep, t, apply(t, c.pool, c.kind, tid, t == Thread.currentThread(), processMask, false));
                }
            }
        }
        return sweep;
    }

    private void count(Sweep sweep, Thread t, Outcome o) {
        switch (o) {
            case PINNED:
                sweep.pinned++;
                break;
            case KEPT:
                sweep.kept++;
                break;
            case RELEASED:
                sweep.released++;
                break;
            case FAILED:
                sweep.failed++;
                WorkerRecord r = registry.get(t);
                sweep.failures.add("\"" + t.getName() + "\": " + (r != null ? r.failure() : "it exited"));
                break;
            default:
                break;
        }
    }

    /** A worker to place: its pool, the pool's kind, its Java thread id. */
    private static final class Candidate {
        final Object pool;
        final PoolKind kind;
        final long javaId;

        Candidate(Object pool, PoolKind kind, long javaId) {
            this.pool = pool;
            this.kind = kind;
            this.javaId = javaId;
        }
    }

    private static void group(Map<Object, List<Thread>> byPool, List<Object> poolOrder, Object pool, Thread t) {
        List<Thread> threads = byPool.get(pool);
        if (threads == null) {
            threads = new ArrayList<>();
            byPool.put(pool, threads);
            poolOrder.add(pool);
        }
        threads.add(t);
    }

    /**
     * Places one live worker by the current plan: pins it to a slot of the first rule that
     * matches, keeps it if it is pinned by this plan already, or gives it the process's CPUs
     * back if it was pinned by an earlier plan that no rule of this one matches. Repeats if
     * the plan changes meanwhile. The caller holds the worker's lock.
     *
     * @param self        the worker is the calling thread (pinned with tid 0)
     * @param processMask the process's CPUs, or null to read them when needed
     * @param publish     publish the change, if the status is published change by change (a sweep
     *                    publishes everything once, at its end)
     */
    private Outcome apply(Thread t, Object pool, PoolKind kind, int tid, boolean self, CpuSet processMask,
                          boolean publish) {
        publish &= publishEachChange;
        while (true) {
            Plan p = plan;
            WorkerRecord current = registry.get(t);
            Outcome outcome;
            if (p != null && current != null && p.owns(current.placement())) {
                outcome = Outcome.KEPT;
            } else {
                Plan.RulePlacement match = p == null ? null : p.match(t.getName(), kind, pool == null ? null : pool.getClass());
                if (match != null) {
                    prepareForFirstPin();
                    Slot slot = match.placement().acquire();
                    WorkerRecord record = new WorkerRecord(pool, kind, t, tid, match.rule(), match.placement(), slot);
                    registry.add(t, record); // gives back the slot of an earlier plan's record
                    outcome = pin(record, slot, self) ? Outcome.PINNED : Outcome.FAILED;
                    if (publish) {
                        status.workerStarted(record);
                        publishRule(record);
                    }
                } else if (current != null) {
                    registry.release(t);
                    if (publish) {
                        status.workerExited(current);
                    }
                    restore(current, self, processMask != null ? processMask : processMask());
                    outcome = Outcome.RELEASED;
                } else {
                    outcome = Outcome.UNMATCHED; // workers no rule matches are left alone
                }
            }
            if (plan == p) {
                return outcome;
            }
        }
    }

    private boolean pin(WorkerRecord record, Slot slot, boolean self) {
        String rule = record.rule().name();
        try {
            if (self) {
                affinity.setCurrentThread(slot.mask());
            } else {
                setOwnThread(record.nativeThreadId(), slot.mask());
            }
            registry.markPinned(record);
            if (log.isDebug()) {
                log.debug("pinned \"" + record.threadName() + "\" (tid " + record.nativeThreadId() + ", "
                        + record.poolKind().configName() + " " + record.poolClassName() + ") to CPU"
                        + (slot.mask().size() > 1 ? "s " : " ") + slot.mask() + " by rule " + rule);
            }
            return true;
        } catch (AffinityException e) {
            registry.markFailed(record, e.getMessage());
            log.warnOnce("pin-failed/" + rule + "/" + e.errno() + "/" + affinity.isSupported(),
                    "rule " + rule + ": cannot pin \"" + record.threadName() + "\": " + e.getMessage()
                            + "; it runs unpinned (later failures of this rule for the same reason are only counted)");
            return false;
        } catch (Throwable t) {
            // A bug of ours or of the platform layer: contained and accounted like a refusal, so
            // the worker runs unpinned, keeps its slot until it exits, and the counters show it.
            String reason = "the agent failed: " + t;
            registry.markFailed(record, reason);
            log.warnOnce("pin-failed/" + rule + "/" + t.getClass().getName(),
                    "rule " + rule + ": cannot pin \"" + record.threadName() + "\": " + reason
                            + "; it runs unpinned (later failures of this rule for the same reason are only counted)");
            return false;
        }
    }

    /** The calling thread's native id, or -1: not knowing it only means not publishing it. */
    private int currentThreadId() {
        try {
            return affinity.currentThreadId();
        } catch (Throwable t) {
            return -1;
        }
    }

    /** Gives a worker the process's CPUs back; a worker that has gone meanwhile needs nothing. */
    private void restore(WorkerRecord record, boolean self, CpuSet processMask) {
        try {
            if (self) {
                affinity.setCurrentThread(processMask);
            } else {
                setOwnThread(record.nativeThreadId(), processMask);
            }
            if (log.isDebug()) {
                log.debug("released \"" + record.threadName() + "\" (tid " + record.nativeThreadId() + ") to CPUs "
                        + processMask);
            }
        } catch (AffinityException e) {
            if (e.errno() != 3) { // ESRCH: it exited
                log.warnOnce("restore-failed/" + e.errno(), "cannot give \"" + record.threadName()
                        + "\" the process's CPUs back: " + e.getMessage());
            }
        }
    }

    /**
     * Pins another thread of this process by its native id. The id is checked against this
     * process's threads first, so a thread that just exited can never make us pin a thread of
     * another process that was given its id.
     */
    private void setOwnThread(int tid, CpuSet mask) throws AffinityException {
        if (tid <= 0 || !Files.isDirectory(SELF_TASKS.resolve(Integer.toString(tid)))) {
            throw new AffinityException("thread " + tid + " is not a thread of this process (any more)", 3);
        }
        affinity.setThread(tid, mask);
    }

    private static final Path SELF_TASKS = Paths.get("/proc/self/task");

    /** The native id the thread dump gives for a thread, checked against its name; -1 when not found. */
    private static int nativeIdOf(Thread t, long javaId, ThreadDump dump) {
        if (dump == null || javaId < 0) {
            return -1;
        }
        ThreadDump.Entry e = dump.byJavaId(javaId);
        return e != null && e.name().equals(t.getName()) ? e.nativeId() : -1;
    }

    /** The CPUs the process may use now (its main thread's), to give released workers. */
    CpuSet processMask() {
        try {
            return procFs.selfAllowedCpus();
        } catch (IOException e) {
            Plan p = plan;
            return p != null ? p.config().processCpus() : CpuSet.empty();
        }
    }

    /** A rule's loads and counters, if the rule is still part of the plan. */
    private void publishRule(WorkerRecord record) {
        Plan p = plan;
        if (p != null && p.owns(record.placement())) {
            status.ruleChanged(record.rule(), record.placement(), registry.counters(record.rule().name()));
        }
    }

    private Object lockFor(Thread t) {
        int h = System.identityHashCode(t);
        return locks[(h ^ (h >>> 16)) & (LOCK_STRIPES - 1)];
    }

    /**
     * A pinned thread sees only its own CPUs in Runtime.availableProcessors(). The common pool
     * and the virtual-thread scheduler size themselves from it when first initialised, so make
     * sure that happens now, on this not-yet-pinned thread, rather than later on a pinned one.
     * (The first pin is on a thread with no mask of ours, whether a pool worker or an
     * any-thread thread.) Also runs the work set by {@link #setBeforeFirstPin}.
     */
    private void prepareForFirstPin() {
        if (readyToPin) {
            return;
        }
        synchronized (this) {
            if (readyToPin || preparing) {
                return; // done, or this very thread is doing it
            }
            preparing = true;
            try {
                Runnable work = beforeFirstPin;
                if (work != null) {
                    work.run();
                }
                sizeSchedulersFromTheProcess();
            } finally {
                preparing = false;
                readyToPin = true;
            }
        }
    }

    /**
     * On this not-yet-pinned thread: the common pool sizes itself when ForkJoinPool is
     * initialised, so initialise it now (no thread starts). The virtual-thread scheduler sizes
     * itself when VirtualThread is initialised, which on JDK 24+ also starts a thread of the
     * JDK's; rather than that, fix its parallelism at what it would be without the agent, unless
     * the application set it.
     */
    private static void sizeSchedulersFromTheProcess() {
        try {
            Class.forName("java.util.concurrent.ForkJoinPool", true, null);
        } catch (Throwable ignored) {
            // always there
        }
        if (Runtime.version().feature() >= 21 && System.getProperty(VIRTUAL_SCHEDULER_PARALLELISM) == null) {
            System.setProperty(VIRTUAL_SCHEDULER_PARALLELISM,
                    Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
    }

    static PoolKind kindOf(Object pool, Thread worker) {
        if (pool instanceof ThreadPoolExecutor) {
            return PoolKind.THREAD_POOL;
        }
        if (pool instanceof ForkJoinPool) {
            if (worker.getClass().getName().equals(CARRIER_THREAD_CLASS)) {
                return PoolKind.VIRTUAL_SCHEDULER;
            }
            return pool == ForkJoinPool.commonPool() ? PoolKind.COMMON_POOL : PoolKind.FORK_JOIN;
        }
        return null;
    }

    static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // JDK 17-20: no virtual threads
        }
    }
}
