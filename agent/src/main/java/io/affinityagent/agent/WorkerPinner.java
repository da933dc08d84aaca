package io.affinityagent.agent;

import io.affinityagent.config.PoolKind;
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
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What happens when a pool worker starts or exits: find its rule, take a slot, pin the thread
 * to the slot's CPUs, record it; on exit, give the slot back. Called through the bridge on the
 * worker's own thread, never on a task path. Placement decisions are made under the
 * placement's lock; the system call is made after, with no lock held.
 */
public final class WorkerPinner {

    private static final MethodHandle IS_VIRTUAL = findIsVirtual();
    private static final String CARRIER_THREAD_CLASS = "jdk.internal.misc.CarrierThread";

    private final WorkerRegistry registry;
    private final CpuAffinity affinity;
    private final AgentLog log;
    private final StatusPublisher status;
    private volatile Plan plan;
    private volatile boolean schedulersSized;

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

    /** Replaces the rules new workers are matched against; null stops pinning. */
    public void setPlan(Plan plan) {
        this.plan = plan;
    }

    public WorkerRegistry registry() {
        return registry;
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

    /** The handler the bridge calls when a worker exits. */
    public Consumer<Thread> exitHandler() {
        return new Consumer<Thread>() {
            @Override
            public void accept(Thread worker) {
                onWorkerExit(worker);
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
        Plan.RulePlacement match = p.match(worker.getName(), kind, pool.getClass());
        if (match == null) {
            return; // workers no rule matches are left alone
        }
        sizeSchedulersBeforeFirstPin();
        Slot slot = match.placement().acquire();
        WorkerRecord record = new WorkerRecord(pool, kind, worker, affinity.currentThreadId(), match.rule(),
                match.placement(), slot);
        registry.add(worker, record);
        pin(record, slot);
        status.workerStarted(record);
        status.ruleChanged(match.rule(), match.placement(), registry.counters(match.rule().name()));
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
     */
    private void sizeSchedulersBeforeFirstPin() {
        if (schedulersSized) {
            return;
        }
        schedulersSized = true;
        for (String name : new String[] {"java.util.concurrent.ForkJoinPool", "java.lang.VirtualThread"}) {
            try {
                Class.forName(name, true, null);
            } catch (Throwable ignored) {
                // No VirtualThread before JDK 21: nothing to size.
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
