package io.affinityagent.agent;

import io.affinityagent.config.PoolKind;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.instrument.HookHandlers;
import io.affinityagent.log.AgentLog;
import io.affinityagent.os.AffinityException;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.placement.Slot;
import io.affinityagent.registry.StatusPublisher;
import io.affinityagent.registry.WorkerRecord;
import io.affinityagent.registry.WorkerRegistry;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What happens when a pool worker or another thread starts or exits: find its rule, take a
 * slot, pin the thread to the slot's CPUs, record it; on exit, give the slot back. Called
 * through the bridge on the thread itself, never on a task path. Placement decisions are made
 * under the placement's lock; the system call is made after, with no lock held.
 *
 * <p>A thread starts with the mask of the thread that started it. So a thread the agent pinned
 * passes its mask on: a new thread that no rule matches and whose parent the agent pinned gets
 * the process's CPUs back as it starts, and one that a rule matches is pinned explicitly anyway.
 * Threads started by threads the agent did not pin are left alone.
 */
public final class WorkerPinner {

    private static final MethodHandle IS_VIRTUAL = findIsVirtual();
    private static final String CARRIER_THREAD_CLASS = "jdk.internal.misc.CarrierThread";

    private final WorkerRegistry registry;
    private final CpuAffinity affinity;
    private final AgentLog log;
    private final StatusPublisher status;
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
    }

    public Plan plan() {
        return plan;
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

    /** The handler the bridge calls when a worker starts (a class, not a lambda: cheaper at start-up). */
    public BiConsumer<Object, Thread> startHandler() {
        return new BiConsumer<Object, Thread>() {
            @Override
            public void accept(Object pool, Thread worker) {
                onWorkerStart(pool, worker);
            }
        };
    }

    /** The handler the bridge calls when a worker, or any platform thread, exits. */
    public Consumer<Thread> exitHandler() {
        return new Consumer<Thread>() {
            @Override
            public void accept(Thread worker) {
                onWorkerExit(worker);
            }
        };
    }

    /** The handler the bridge calls when a platform thread starts running (Thread.run). */
    public Consumer<Thread> threadRunHandler() {
        return new Consumer<Thread>() {
            @Override
            public void accept(Thread thread) {
                onThreadRun(thread);
            }
        };
    }

    /** The handler the bridge calls on the parent when it starts a thread (Thread.start). */
    public Consumer<Thread> threadStartHandler() {
        return new Consumer<Thread>() {
            @Override
            public void accept(Thread child) {
                onThreadStart(child);
            }
        };
    }

    /** The handler the bridge calls when a ThreadPoolExecutor has made a worker's thread. */
    public Consumer<Thread> poolWorkerCreatedHandler() {
        return new Consumer<Thread>() {
            @Override
            public void accept(Thread thread) {
                onPoolWorkerCreated(thread);
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
        Plan.RulePlacement match = p.match(worker.getName(), kind, pool.getClass());
        if (match == null) {
            if (inheritedPin) {
                resetInheritedMask(p, worker);
            }
            return; // otherwise, workers no rule matches are left alone
        }
        place(match, pool, kind, worker);
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
        Plan.RulePlacement match = p.hasAnyThreadRules() ? p.match(thread.getName(), PoolKind.ANY_THREAD, null) : null;
        if (match != null) {
            place(match, null, PoolKind.ANY_THREAD, thread);
        } else if (inheritedPin) {
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

    private void place(Plan.RulePlacement match, Object pool, PoolKind kind, Thread thread) {
        prepareForFirstPin();
        Slot slot = match.placement().acquire();
        WorkerRecord record = new WorkerRecord(pool, kind, thread, affinity.currentThreadId(), match.rule(),
                match.placement(), slot);
        registry.add(thread, record);
        pin(record, slot);
        status.workerStarted(record);
        status.ruleChanged(match.rule(), match.placement(), registry.counters(match.rule().name()));
    }

    /** The current thread inherited a pinned mask and no rule wants it: the process's CPUs, as without the agent. */
    private void resetInheritedMask(Plan p, Thread thread) {
        CpuSet processCpus = p.config().processCpus();
        try {
            affinity.setCurrentThread(processCpus);
            status.inheritedMasksReset(registry.countInheritedMaskReset());
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
        WorkerRecord record = registry.remove(worker);
        if (record != null) {
            status.workerExited(record);
            status.ruleChanged(record.rule(), record.placement(), registry.counters(record.rule().name()));
        }
    }

    private void pin(WorkerRecord record, Slot slot) {
        String rule = record.rule().name();
        try {
            affinity.setCurrentThread(slot.mask());
            registry.markPinned(record);
            if (log.isDebug()) {
                log.debug("pinned \"" + record.threadName() + "\" (tid " + record.nativeThreadId() + ", "
                        + record.poolKind().configName() + " " + record.poolClassName() + ") to CPU"
                        + (slot.mask().size() > 1 ? "s " : " ") + slot.mask() + " by rule " + rule);
            }
        } catch (AffinityException e) {
            registry.markFailed(record, e.getMessage());
            log.warnOnce("pin-failed/" + rule + "/" + e.errno() + "/" + affinity.isSupported(),
                    "rule " + rule + ": cannot pin \"" + record.threadName() + "\": " + e.getMessage()
                            + "; it runs unpinned (later failures of this rule for the same reason are only counted)");
        }
    }

    /**
     * A pinned thread sees only its own CPUs in Runtime.availableProcessors(). The common pool
     * and the virtual-thread scheduler size themselves from it when first initialised, so make
     * sure that happens now, on this not-yet-pinned thread, rather than later on a pinned one.
     * (The first pin is on a thread with no mask of ours, whether a pool worker or an
     * any-thread thread.)
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
                for (String name : new String[] {"java.util.concurrent.ForkJoinPool", "java.lang.VirtualThread"}) {
                    try {
                        Class.forName(name, true, null);
                    } catch (Throwable ignored) {
                        // No VirtualThread before JDK 21: nothing to size.
                    }
                }
            } finally {
                preparing = false;
                readyToPin = true;
            }
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
