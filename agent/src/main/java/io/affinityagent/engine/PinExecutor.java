package io.affinityagent.engine;

import io.affinityagent.config.Rule;
import io.affinityagent.config.WhenHeld;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.log.AgentLog;
import io.affinityagent.os.AffinityException;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.WorkerRecord;
import io.affinityagent.registry.WorkerRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Carries the engine's decisions out: the one place that calls the kernel (through
 * {@link CpuAffinity}) for a thread. The calling thread is pinned as itself; any other thread by
 * its native id, after checking that the id is still one of this process's threads. Failures are
 * said once per rule and reason and counted; the thread runs unpinned. Tells the observer, if
 * one is set.
 */
public final class PinExecutor {

    private static final Path SELF_TASKS = Paths.get("/proc/self/task");
    private static final int ESRCH = 3;

    private final CpuAffinity affinity;
    private final WorkerRegistry registry;
    private final AgentLog log;
    private final ProcFs procFs = ProcFs.system();
    private volatile PinObserver observer;

    public PinExecutor(CpuAffinity affinity, WorkerRegistry registry, AgentLog log) {
        this.affinity = affinity;
        this.registry = registry;
        this.log = log;
    }

    void setObserver(PinObserver observer) {
        this.observer = observer;
    }

    PinObserver observer() {
        return observer;
    }

    /**
     * Sets {@code t}'s mask to its record's slot; false (counted, said once) when that failed. The
     * calling thread's pin also tells its native id, which the record takes.
     */
    boolean pin(Thread t, WorkerRecord record, WorkerRecord previous) {
        CpuSet mask = record.slot().mask();
        String rule = record.rule().name();
        long t0 = System.nanoTime();
        try {
            int tid = set(t, record.nativeThreadId(), mask);
            if (tid > 0) {
                record.identified(tid);
            }
            long nanos = System.nanoTime() - t0;
            registry.markPinned(record, nanos);
            if (log.isDebug()) {
                log.debug("pinned \"" + record.threadName() + "\" (tid " + record.nativeThreadId() + ", "
                        + record.poolKind().configName() + " " + record.poolClassName() + ") to CPU"
                        + (mask.size() > 1 ? "s " : " ") + mask + " by rule " + rule);
            }
            PinObserver o = observer;
            if (o != null) {
                o.pinned(t, record, previous == null || !previous.slot().mask().equals(mask), nanos);
            }
            return true;
        } catch (AffinityException e) {
            failed(t, record, e.getMessage(), e.errno() + "/" + affinity.isSupported());
            return false;
        } catch (Throwable e) {
            // A bug of ours or of the platform layer: contained and accounted like a refusal, so
            // the thread runs unpinned, keeps its slot until it exits, and the counters show it.
            failed(t, record, "the agent failed: " + e, e.getClass().getName());
            return false;
        }
    }

    private void failed(Thread t, WorkerRecord record, String reason, String reasonKey) {
        if (record.nativeThreadId() <= 0 && t == Thread.currentThread()) {
            record.identified(currentThreadId()); // the failed pin did not tell it
        }
        String rule = record.rule().name();
        registry.markFailed(record, reason);
        log.warnOnce("pin-failed/" + rule + "/" + reasonKey, "rule " + rule + ": cannot pin \"" + record.threadName()
                + "\": " + reason + "; it runs unpinned (later failures of this rule for the same reason are only counted)");
        PinObserver o = observer;
        if (o != null) {
            o.failed(t, record, reason);
        }
    }

    /** Gives a thread the agent let go of the process's CPUs back; one that has gone meanwhile needs nothing. */
    void release(Thread t, WorkerRecord record, CpuSet processMask) {
        try {
            set(t, record.nativeThreadId(), processMask);
            if (log.isDebug()) {
                log.debug("released \"" + record.threadName() + "\" (tid " + record.nativeThreadId() + ") to CPUs "
                        + processMask);
            }
        } catch (AffinityException e) {
            if (e.errno() != ESRCH) { // it exited
                log.warnOnce("restore-failed/" + e.errno(), "cannot give \"" + record.threadName()
                        + "\" the process's CPUs back: " + e.getMessage());
            }
        }
        PinObserver o = observer;
        if (o != null) {
            o.released(t, record);
        }
    }

    /** The calling thread inherited a pinned mask and no rule wants it: the process's CPUs, as without the agent. */
    void resetInheritedMask(Thread self, CpuSet processCpus) {
        try {
            affinity.setCurrentThread(processCpus);
            registry.countInheritedMaskReset();
            if (log.isDebug()) {
                log.debug("gave \"" + self.getName() + "\" (tid " + affinity.currentThreadId() + "), started by a pinned"
                        + " thread and matched by no rule, the process's CPUs " + processCpus + " back");
            }
        } catch (AffinityException e) {
            log.warnOnce("inherited-mask/" + e.errno(), "cannot give \"" + self.getName() + "\", started by a pinned"
                    + " thread, the process's CPUs back: " + e.getMessage() + "; it keeps its parent's"
                    + " (later failures for the same reason are not reported)");
        }
    }

    /** The calling thread's native id, or -1: not knowing it only means not publishing it. */
    int currentThreadId() {
        try {
            return affinity.currentThreadId();
        } catch (Throwable t) {
            return -1;
        }
    }

    /** Whether the calling thread runs on a mask the agent set (by native id: a virtual thread counts as its carrier). */
    boolean currentThreadPinned() {
        return registry.isPinned(affinity.currentThreadId());
    }

    /** The CPUs the process may use now (its main thread's), to give released threads; the plan's if unreadable. */
    CpuSet processMask(Plan plan) {
        try {
            return procFs.selfAllowedCpus();
        } catch (IOException e) {
            return plan != null ? plan.config().processCpus() : CpuSet.empty();
        }
    }

    /**
     * Every CPU of {@code rule} is held host-wide by other processes: the thread runs on the
     * process's CPUs. Said once per rule and knob; with {@code wait} it is pinned when a CPU frees.
     */
    void held(Thread t, Rule rule) {
        boolean waits = rule.whenHeld() == WhenHeld.WAIT;
        log.warnOnce("held/" + rule.name() + "/" + rule.whenHeld(), "rule " + rule.name() + ": every CPU of the rule ("
                + rule.cpus() + ") is held host-wide by another process; \"" + t.getName() + "\" runs unpinned on the"
                + " process's CPUs" + (waits ? " and is pinned as soon as one frees (when-held = wait)"
                : " (when-held = unpinned)") + "; later workers of this rule are not reported");
    }

    /** Every CPU of {@code rule} is held elsewhere and it says {@code when-held = share}: pinned beside the holder. */
    void sharing(Thread t, Rule rule, CpuSet mask) {
        log.warnOnce("held/" + rule.name() + "/" + rule.whenHeld(), "rule " + rule.name() + ": every CPU of the rule ("
                + rule.cpus() + ") is held host-wide by another process; \"" + t.getName() + "\" is pinned to CPU"
                + (mask.size() > 1 ? "s " : " ") + mask + " beside the holder, without a lock (when-held = share); later"
                + " workers of this rule are not reported");
    }

    /** A worker that waited for one of its exclusive rule's CPUs got one. */
    void heldNoMore(WorkerRecord record) {
        log.info("rule " + record.rule().name() + ": CPU" + (record.slot().mask().size() > 1 ? "s " : " ")
                + record.slot().mask() + " freed; \"" + record.threadName() + "\" pinned to it");
    }

    /** A problem of the agent's own that the user should hear of. */
    void problem(String sentence) {
        log.error(sentence);
    }

    /**
     * The calling thread as itself; another thread of this process by its native id, checked
     * against this process's threads first, so that a thread that just exited can never make us
     * pin a thread of another process that was given its id. Returns the thread's native id: for
     * the calling thread, the one its pin told (-1 when the backend cannot tell), else {@code tid}.
     */
    private int set(Thread t, int tid, CpuSet mask) throws AffinityException {
        if (t == Thread.currentThread()) {
            return affinity.pinCurrentThread(mask);
        }
        if (tid <= 0 || !Files.isDirectory(SELF_TASKS.resolve(Integer.toString(tid)))) {
            throw new AffinityException("thread " + tid + " is not a thread of this process (any more)", ESRCH);
        }
        affinity.setThread(tid, mask);
        return tid;
    }
}
