package io.affinityagent.engine;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.PoolKind;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.jdk.HookInstallation;
import io.affinityagent.jdk.RunningThread;
import io.affinityagent.jdk.ThreadClassifier;
import io.affinityagent.jdk.ThreadDiscovery;
import io.affinityagent.jdk.ThreadDump;
import io.affinityagent.placement.Slot;
import io.affinityagent.registry.WorkerRecord;
import io.affinityagent.registry.WorkerRegistry;
import io.affinityagent.config.WhenHeld;
import io.affinityagent.hostlock.ExclusivePlacement;
import io.affinityagent.hostlock.HostCpuLocks;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The one pipeline every thread event goes through: a worker or thread starting or exiting, a
 * sweep of the running threads at attach, a re-plan, a detach. For each thread it gathers the
 * facts, asks {@link PinningPolicy} what to do, records the outcome in the registry and has the
 * {@link PinExecutor} make the system call. The agent's state is one {@link Lifecycle}.
 *
 * <p>Every change to one thread happens under that thread's lock (one of a few striped
 * monitors, never the Thread object, which the application may lock), and ends by checking
 * that the lifecycle did not change meanwhile; so a worker starting while a re-plan sweeps ends
 * up placed by the newest plan, whichever side gets there last. Placement decisions are made
 * under the placement's lock; the system calls under the thread's lock only.
 */
public final class PinningEngine {

    private static final int LOCK_STRIPES = 64;
    /** A starting thread's native id before its pin tells it (only the calling thread is placed so). */
    private static final int UNKNOWN_TID = -1;

    private final WorkerRegistry registry;
    private final PinExecutor executor;
    private final HookInstallation hooks;
    private final ThreadDiscovery discovery;
    private final Stripe[] locks = new Stripe[LOCK_STRIPES];
    private final FirstPin firstPin;
    private volatile Lifecycle state = Lifecycle.STARTING;
    /** Host-wide CPU locks for exclusive rules; null while no plan has one. */
    private volatile HostCpuLocks hostLocks;
    /** Workers of exclusive rules (when-held = wait) left unpinned because every CPU of theirs is held elsewhere. */
    private final List<Waiting> waiting = new ArrayList<>();
    private volatile boolean hasWaiting;

    /**
     * @param hooks     hooks java.lang.Thread before the first pin (only a pinned thread passes a
     *                  mask on): given here, before any hook can call the engine, so that the
     *                  first thread to be pinned always finds it
     * @param discovery the running threads, for sweeps
     */
    public PinningEngine(WorkerRegistry registry, PinExecutor executor, HookInstallation hooks, ThreadDiscovery discovery) {
        this.registry = registry;
        this.executor = executor;
        this.hooks = hooks;
        this.discovery = discovery;
        this.firstPin = new FirstPin(hooks, executor);
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Stripe();
        }
    }

    public Lifecycle lifecycle() {
        return state;
    }

    /** The plan in force; null unless active. */
    public Plan plan() {
        return state.plan();
    }

    public WorkerRegistry registry() {
        return registry;
    }

    /**
     * The host-wide locks the next plans' exclusive rules place through (null: none). Set before
     * {@link #replan} with a config that has an exclusive rule.
     */
    public void setHostLocks(HostCpuLocks locks) {
        this.hostLocks = locks;
    }

    public HostCpuLocks hostLocks() {
        return hostLocks;
    }

    /** Tells {@code observer} (null: nobody) of every pin, release, failure and re-plan from now on. */
    public void setObserver(PinObserver observer) {
        executor.setObserver(observer);
    }

    /**
     * Starting to active with a plan made beforehand, no sweep: for tests only (TestEngines), which
     * keep the plan to look into it. The agent starts the engine with {@link #replan}.
     */
    void start(Plan plan) {
        state = Lifecycle.active(plan);
    }

    /**
     * The one way to change the plan of a running agent: makes {@code config} the plan, then
     * places every running thread by it (pins the matched ones not pinned yet, keeps the ones
     * in place, gives the ones no rule matches any more the process's CPUs back). New workers
     * follow the new plan from the moment it is set; the counters start from zero.
     */
    public ReplanOutcome replan(AgentConfig config, ReplanReason reason) {
        ReplanOutcome outcome = new ReplanOutcome(reason);
        Plan plan = Plan.of(config, hostLocks);
        clearWaiting(); // the sweep places them afresh
        registry.resetCounters();
        state = Lifecycle.active(plan);
        if (plan.hasAnyThreadRules()) {
            for (String problem : hooks.hookThreads()) {
                outcome.problem(problem);
            }
        }
        sweep(discover(outcome), outcome);
        return told(outcome);
    }

    /**
     * Does the work before the first pin now, on the calling thread (the agent's start, after its
     * sweep), so that the first worker to start does not pay for it on its own start.
     */
    public void prepareFirstPin() {
        firstPin.prepare();
    }

    /** Detach: nothing is pinned from now on and every thread the agent placed gets the process's CPUs back. */
    public ReplanOutcome detach() {
        ReplanOutcome outcome = new ReplanOutcome(ReplanReason.DETACH);
        state = Lifecycle.DETACHED;
        clearWaiting();
        sweep(new Running(List.of(), null), outcome);
        registry.resetCounters();
        HostCpuLocks locks = hostLocks;
        if (locks != null) {
            locks.releaseAll(); // the sweep gave every slot back; this covers a thread it could not see
        }
        return told(outcome);
    }

    private ReplanOutcome told(ReplanOutcome outcome) {
        PinObserver o = executor.observer();
        if (o != null) {
            o.replanned(outcome);
        }
        return outcome;
    }

    // ---- hook events, each on the thread concerned (see HookEvents for the handlers) ----

    /**
     * A worker of {@code pool} is about to run its first task; {@code worker} is the current
     * thread. Returns the nanoseconds it waited in its pin call (see {@link #onStart}; 0 when not
     * pinned), which the hook's clock keeps apart from the agent's own work.
     */
    public long onWorkerStart(Object pool, Thread worker) {
        if (state.plan() == null || pool == null || worker != Thread.currentThread() || ThreadClassifier.isVirtual(worker)) {
            return 0;
        }
        PoolKind kind = ThreadClassifier.kindOf(pool, worker);
        return kind == null ? 0 : onStart(worker, worker.getName(), kind, pool);
    }

    /**
     * A platform thread starts running (Thread.run, on the thread): pinned if an any-thread rule
     * matches its name; else, if it inherited a mask the agent set, given the process's CPUs.
     * Pool workers are left to their pool's hook, which comes next. Returns the nanoseconds it
     * waited in its pin call (see {@link #onStart}; 0 when not pinned).
     */
    public long onThreadRun(Thread thread) {
        if (state.plan() == null || thread != Thread.currentThread() || ThreadClassifier.isVirtual(thread)
                || thread instanceof ForkJoinWorkerThread
                || registry.isMarked(thread, WorkerRegistry.ThreadMark.POOL_WORKER) || registry.get(thread) != null
                || registry.isMarked(thread, WorkerRegistry.ThreadMark.AGENT_THREAD)) {
            return 0;
        }
        return onStart(thread, thread.getName(), PoolKind.ANY_THREAD, null);
    }

    /**
     * Places the calling thread, a worker of {@code pool} (null: a thread of no pool); returns the
     * nanoseconds it waited in its pin call and, before the agent's first pin, for the one-off
     * set-up another thread was doing (0 when it was not pinned). A thread that no rule takes, that
     * inherited no mask of ours and that the agent never placed (most threads of an application)
     * is decided without a facts object: on a new thread, the first allocation sets up its
     * allocation buffer, which the thread's own task would otherwise pay.
     */
    private long onStart(Thread self, String name, PoolKind kind, Object pool) {
        boolean inherited = registry.takeMarks(self, WorkerRegistry.ThreadMark.STARTED_BY_PINNED);
        Plan plan = state.plan();
        if (!inherited && plan != null && PinningPolicy.matchOf(plan, name, kind, pool) == null
                && registry.get(self) == null) {
            registry.dropPrepared(self);
            return 0; // PinningPolicy.decide says NOTHING; a re-plan meanwhile sweeps this running thread
        }
        long waited = firstPin.prepare(); // before the thread's lock: threads starting together wait for it here
        Stripe stripe = lockFor(self);
        synchronized (stripe) {
            ThreadFacts facts = stripe.facts.refill(name, kind, pool);
            if (inherited) {
                facts.startedByPinnedThread();
            }
            Decision done;
            try {
                // The native id comes with the pin (one system call less on a new thread).
                done = place(self, facts, UNKNOWN_TID, null);
            } finally {
                facts.refill(null, null, null); // keeps no pool alive
            }
            if (done.kind() != Decision.Kind.PIN) {
                registry.dropPrepared(self);
                return waited;
            }
            WorkerRecord placed = registry.get(self);
            return waited + (placed != null ? placed.pinCallNanos() : 0);
        }
    }

    /**
     * {@code thread}, not started yet, is the agent's own (the cpuset watch, which must keep the
     * process's mask to see it change): no rule ever places it, an any-thread {@code *} included.
     */
    public void agentThread(Thread thread) {
        registry.mark(thread, WorkerRegistry.ThreadMark.AGENT_THREAD);
    }

    /**
     * On the parent, as it starts {@code child}: makes the child's record now if a rule may take
     * it (so that its start allocates nothing), and notes whether it inherits a mask the agent set.
     */
    public void onThreadStart(Thread child) {
        Plan plan = state.plan();
        if (plan == null) {
            return;
        }
        if (mayTake(plan, child)) {
            registry.prepare(child);
        }
        if (registry.anyPinned() && executor.currentThreadPinned()) { // nothing pinned, nothing to inherit: no system call
            registry.mark(child, WorkerRegistry.ThreadMark.STARTED_BY_PINNED);
        }
    }

    /**
     * Whether a rule takes {@code child} as it is before it runs: a ForkJoin worker of a pool the
     * plan matches, or a plain thread an any-thread rule matches. A ThreadPoolExecutor's worker
     * was prepared when the pool made it; a thread renamed after its start is decided all the
     * same when it runs, only its record is made then.
     */
    private boolean mayTake(Plan plan, Thread child) {
        if (child instanceof ForkJoinWorkerThread) {
            Object pool = ((ForkJoinWorkerThread) child).getPool();
            PoolKind kind = ThreadClassifier.kindOf(pool, child);
            return kind != null && PinningPolicy.matchOf(plan, child.getName(), kind, pool) != null;
        }
        return plan.hasAnyThreadRules() && !ThreadClassifier.isVirtual(child)
                && PinningPolicy.matchOf(plan, child.getName(), PoolKind.ANY_THREAD, null) != null
                && !registry.isMarked(child, WorkerRegistry.ThreadMark.POOL_WORKER)
                && !registry.isMarked(child, WorkerRegistry.ThreadMark.AGENT_THREAD);
    }

    /**
     * A ThreadPoolExecutor made {@code thread} for a worker: runWorker will decide for it, not
     * Thread.run; its record is made now, by the thread adding the worker, not by the worker.
     */
    public void onPoolWorkerCreated(Thread thread) {
        if (state.plan() != null) {
            registry.mark(thread, WorkerRegistry.ThreadMark.POOL_WORKER);
            registry.prepare(thread);
        }
    }

    /** A worker or thread is exiting: its slot goes back before its pool starts a replacement. Noted in every state. */
    public void onWorkerExit(Thread worker) {
        WorkerRecord gone;
        synchronized (lockFor(worker)) {
            gone = registry.workerExited(worker);
        }
        PinObserver o = executor.observer();
        if (o != null && gone != null) {
            o.exited(worker, gone);
        }
        if (hasWaiting) {
            removeWaiting(worker);
        }
    }

    // ---- workers waiting for a CPU of their exclusive rule ----

    /** What is needed to place a waiting worker again. */
    private static final class Waiting {
        final WeakReference<Thread> thread;
        final ThreadFacts facts;
        final int tid;

        Waiting(Thread thread, ThreadFacts facts, int tid) {
            this.thread = new WeakReference<>(thread);
            this.facts = facts;
            this.tid = tid;
        }
    }

    /** How many workers wait for a CPU of their exclusive rule. */
    public int waitingCount() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /**
     * Tries again to place the workers waiting for a CPU of their exclusive rule (another process
     * may have let go of one): called periodically, by the cpuset watch's thread. Pinned ones
     * stop waiting; the others go on.
     */
    public void retryWaiting() {
        if (!hasWaiting) {
            return;
        }
        List<Waiting> now;
        synchronized (waiting) {
            now = new ArrayList<>(waiting);
        }
        for (Waiting w : now) {
            Thread t = w.thread.get();
            if (t == null || !t.isAlive() || registry.hasExited(t)) {
                removeWaiting(w);
                continue;
            }
            synchronized (lockFor(t)) {
                removeWaiting(w);
                if (registry.get(t) == null) {
                    place(t, w.facts, w.tid, null); // waits again if still held
                    WorkerRecord r = registry.get(t);
                    if (r != null) {
                        executor.heldNoMore(r);
                    }
                }
            }
        }
    }

    private void addWaiting(Thread t, ThreadFacts facts, int tid) {
        synchronized (waiting) {
            for (Waiting w : waiting) {
                if (w.thread.get() == t) {
                    return;
                }
            }
            waiting.add(new Waiting(t, facts, tid));
            hasWaiting = true;
        }
    }

    private void removeWaiting(Waiting gone) {
        synchronized (waiting) {
            waiting.remove(gone);
            hasWaiting = !waiting.isEmpty();
        }
    }

    private void removeWaiting(Thread t) {
        synchronized (waiting) {
            for (int i = waiting.size() - 1; i >= 0; i--) {
                Thread w = waiting.get(i).thread.get();
                if (w == null || w == t) {
                    waiting.remove(i);
                }
            }
            hasWaiting = !waiting.isEmpty();
        }
    }

    private void clearWaiting() {
        synchronized (waiting) {
            waiting.clear();
            hasWaiting = false;
        }
    }

    // ---- sweeps ----

    /**
     * The platform threads running now and those the registry holds, as rules see them; pins
     * nothing, takes no thread dump. For the report of rules that match nothing.
     */
    public List<ThreadFacts> runningThreads() {
        List<RunningThread> found;
        try {
            found = discovery.running();
        } catch (Throwable t) {
            found = List.of();
        }
        List<SweepOrder.Candidate> candidates = SweepOrder.of(found, registry);
        List<ThreadFacts> out = new java.util.ArrayList<>(candidates.size());
        for (SweepOrder.Candidate c : candidates) {
            out.add(c.facts());
        }
        return out;
    }

    /** The running threads, and their native ids if some matched thread is new to the registry. */
    private Running discover(ReplanOutcome outcome) {
        List<RunningThread> found = List.of();
        try {
            found = discovery.running();
        } catch (Throwable t) {
            outcome.problem("cannot find the pool workers that are running already (" + t + "); they are pinned"
                    + " when their pools replace them, new workers as they start");
        }
        ThreadDump dump = null;
        if (SweepOrder.needsNativeIds(state.plan(), found, registry)) {
            try {
                dump = discovery.threadDump();
            } catch (Throwable t) {
                outcome.problem("cannot map the running workers to native thread ids (" + t + "); they are pinned"
                        + " when their pools replace them, new workers as they start");
            }
        }
        return new Running(found, dump);
    }

    /** Places the running threads and the registry's, pool by pool in thread order (so round-robin spreads each pool). */
    private void sweep(Running running, ReplanOutcome outcome) {
        CpuSet processMask = executor.processMask(state.plan());
        for (SweepOrder.Candidate c : SweepOrder.of(running.threads, registry)) {
            outcome.saw(c.facts());
            Thread t = c.thread();
            if (registry.isMarked(t, WorkerRegistry.ThreadMark.AGENT_THREAD)) {
                continue;
            }
            synchronized (lockFor(t)) {
                if (registry.hasExited(t) || !t.isAlive()) {
                    continue;
                }
                WorkerRecord current = registry.get(t);
                int tid = current != null ? current.nativeThreadId() : running.nativeIdOf(t, c.javaId());
                if (tid <= 0) {
                    Plan p = state.plan();
                    if (p != null && PinningPolicy.matchOf(p, c.facts()) != null) {
                        outcome.unmapped(t.getName());
                    }
                    continue;
                }
                count(outcome, t, place(t, c.facts(), tid, processMask), current);
            }
        }
    }

    private void count(ReplanOutcome outcome, Thread t, Decision done, WorkerRecord before) {
        WorkerRecord now = registry.get(t);
        switch (done.kind()) {
            case PIN:
                if (now != null && now.state() == WorkerRecord.PinState.FAILED) {
                    outcome.of(done.rule().rule().name()).failed++;
                    outcome.failure("\"" + t.getName() + "\": " + now.failure());
                } else {
                    outcome.of(done.rule().rule().name()).pinned++;
                }
                break;
            case KEEP:
                outcome.of(now != null ? now.rule().name() : "?").kept++;
                break;
            case HELD:
                outcome.of(done.rule().rule().name()).held++;
                break;
            case RELEASE:
                outcome.of(before != null ? before.rule().name() : "?").released++;
                break;
            default:
                break;
        }
    }

    /**
     * Decides for one live thread and carries the decision out; repeats if the lifecycle changed
     * meanwhile. The caller holds the thread's lock. Returns what was done.
     *
     * @param processMask the process's CPUs for a release, or null to read them when needed
     */
    private Decision place(Thread t, ThreadFacts facts, int tid, CpuSet processMask) {
        while (true) {
            Lifecycle s = state;
            WorkerRecord current = registry.get(t);
            Decision d = PinningPolicy.decide(s.plan(), facts, current);
            switch (d.kind()) {
                case PIN:
                    firstPin.prepare();
                    Plan.RulePlacement rp = d.rule();
                    Slot slot = rp.placement().acquire();
                    if (slot == null) { // an exclusive rule's CPUs are all held by other processes
                        if (current != null) { // placed by an earlier plan: its slot (and lock) back
                            releaseTo(t, current, processMask, s);
                        }
                        d = held(t, facts, tid, rp);
                        break;
                    }
                    if (rp.placement() instanceof ExclusivePlacement
                            && !((ExclusivePlacement) rp.placement()).locks().heldHere().containsAll(slot.mask())) {
                        executor.sharing(t, rp.rule(), slot.mask()); // when-held = share: placed without a lock
                    }
                    WorkerRecord record = registry.blankRecord(t).fill(facts.pool(), facts.kind(), t, tid)
                            .placed(rp.rule(), rp.placement(), slot);
                    registry.add(t, record); // gives back the slot of an earlier plan's record
                    executor.pin(t, record, current);
                    break;
                case RELEASE:
                    releaseTo(t, current, processMask, s);
                    break;
                case RESET_INHERITED_MASK:
                    executor.resetInheritedMask(t, s.plan().config().processCpus());
                    break;
                default:
                    break;
            }
            if (state == s) {
                return d;
            }
        }
    }

    /** Gives a placed thread's slot back and the process's CPUs (read from the plan when {@code processMask} is null). */
    private void releaseTo(Thread t, WorkerRecord current, CpuSet processMask, Lifecycle s) {
        registry.release(t);
        executor.release(t, current, processMask != null ? processMask : executor.processMask(s.plan()));
    }

    /** No CPU of the rule could be locked: the thread runs on the process's CPUs, and waits if its rule says so. */
    private Decision held(Thread t, ThreadFacts facts, int tid, Plan.RulePlacement rp) {
        executor.held(t, rp.rule());
        if (rp.rule().whenHeld() == WhenHeld.WAIT) {
            addWaiting(t, facts.copy(), tid == UNKNOWN_TID ? executor.currentThreadId() : tid);
        }
        return Decision.held(rp);
    }

    /** One of the striped locks, with the scratch facts of the thread starting under it. */
    private static final class Stripe {
        final ThreadFacts facts = ThreadFacts.scratch();
    }

    private Stripe lockFor(Thread t) {
        int h = System.identityHashCode(t);
        return locks[(h ^ (h >>> 16)) & (LOCK_STRIPES - 1)];
    }

    /** What a sweep works from: the threads found running and the dump that gives their native ids. */
    private static final class Running {
        final List<RunningThread> threads;
        final ThreadDump dump;

        Running(List<RunningThread> threads, ThreadDump dump) {
            this.threads = threads;
            this.dump = dump;
        }

        /** The native id the dump gives for a thread, checked against its name; -1 when not found. */
        int nativeIdOf(Thread t, long javaId) {
            if (dump == null || javaId < 0) {
                return -1;
            }
            ThreadDump.Entry e = dump.byJavaId(javaId);
            return e != null && e.name().equals(t.getName()) ? e.nativeId() : -1;
        }
    }
}
