package io.affinityagent.agent;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.CpusetWatchInterval;
import io.affinityagent.config.Rule;
import io.affinityagent.config.WhenHeld;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpuset.AllowedCpusSource;
import io.affinityagent.cpuset.CpusetChangeMessage;
import io.affinityagent.cpuset.CpusetWatch;
import io.affinityagent.cpuset.RuleReresolution;
import io.affinityagent.cpuset.WatchThreadMask;
import io.affinityagent.engine.PinningEngine;
import io.affinityagent.engine.Plan;
import io.affinityagent.engine.ReplanOutcome;
import io.affinityagent.engine.ReplanReason;
import io.affinityagent.log.AgentLog;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.os.MachineCpuContext;
import io.affinityagent.os.ProcFs;

/**
 * Keeps the plan true to the process's cpuset: runs the {@link CpusetWatch} while the agent is
 * active and its config asks for it, and on a change resolves the CPU lists again and re-plans
 * through the engine ({@link ReplanReason#CPUSET_CHANGE}), saying what changed in one line. The
 * same thread's wake-ups retry exclusive rules' workers that wait for a CPU ({@code when-held =
 * wait}), so such a config gets the thread even with {@code cpuset-watch = off} (then it looks
 * at no cpuset, only at the lock files).
 */
final class CpusetFollower implements CpusetWatch.Listener, Runnable {

    private final AgentLog log;
    private final PinningEngine engine;
    private final CpuAffinity affinity;
    private final Runnable planPublished;
    /** The running watch; null when none. */
    private CpusetWatch watch;
    /** The thread the watch runs on (or is about to); null when none. */
    private Thread thread;
    /** What the next watch thread watches: its interval, whether it looks at the cpuset, the CPUs the plan is for. */
    private long interval;
    private boolean watchCpuset;
    private CpuSet initial;

    /** @param planPublished publishes the plan again after a re-plan */
    CpusetFollower(AgentLog log, PinningEngine engine, CpuAffinity affinity, Runnable planPublished) {
        this.log = log;
        this.engine = engine;
        this.affinity = affinity;
        this.planPublished = planPublished;
    }

    /**
     * Starts, keeps or stops the watch for the plan in force. Must run on a thread the agent did
     * not pin (premain's, a command's): the watch's thread inherits its mask.
     */
    void follow(AgentConfig config) {
        long millis = config == null ? 0 : config.cpusetWatchMillis();
        boolean waits = config != null && waitsForHeldCpus(config);
        long wanted = millis > 0 ? millis : waits ? CpusetWatchInterval.DEFAULT_MILLIS : 0;
        synchronized (this) {
            if (thread != null && interval == wanted && watchCpuset == (millis > 0)) {
                return; // as it is
            }
        }
        stop();
        if (wanted == 0) {
            return;
        }
        // Only the thread is made here: the watch's classes load on it, off premain's path. The JVM's
        // default stack: an application's own agent (ByteBuddy's) transforms those classes on it too.
        Thread t = new Thread(null, this, CpusetWatch.THREAD_NAME, 0, false);
        t.setDaemon(true);
        engine.agentThread(t);
        synchronized (this) {
            interval = wanted;
            watchCpuset = millis > 0;
            initial = config.processCpus();
            thread = t;
        }
        t.start();
    }

    /**
     * The watch thread's body: waits out the first interval, then makes the watch and runs it
     * here. The wait keeps the watch's classes and its first look out of the application's start.
     */
    @Override
    public void run() {
        long first;
        synchronized (this) {
            first = interval;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(first * 1_000_000L);
        CpusetWatch w;
        synchronized (this) {
            if (thread != Thread.currentThread()) {
                return; // stopped or replaced before it ran
            }
            AllowedCpusSource source = watchCpuset ? new WatchThreadMask(affinity, ProcFs.system()) : new Unwatched(initial);
            w = new CpusetWatch(source, interval, initial, this);
            watch = w;
        }
        w.runOnCurrentThread();
    }

    private static boolean waitsForHeldCpus(AgentConfig config) {
        for (Rule r : config.rules()) {
            if (r.exclusive() && r.whenHeld() == WhenHeld.WAIT) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void cpusetChanged(CpuSet before, CpuSet after) {
        synchronized (AgentMain.class) { // one re-plan at a time, commands included
            Plan plan = engine.plan();
            if (plan == null) {
                return; // detached meanwhile
            }
            RuleReresolution.Result r = RuleReresolution.resolve(plan.config(), new MachineCpuContext(after));
            for (String note : r.notes()) {
                log.warn(note);
            }
            ReplanOutcome outcome = engine.replan(r.config(), ReplanReason.CPUSET_CHANGE);
            planPublished.run();
            log.info(CpusetChangeMessage.format(before, after, r.changes(), outcome.pinned(), outcome.failed())
                    + (outcome.held() > 0 ? "; " + outcome.held() + " left unpinned, their exclusive CPUs held elsewhere" : ""));
            for (String problem : outcome.problems()) {
                log.warn(problem);
            }
        }
    }

    @Override
    public void unchanged(CpuSet current) {
        engine.retryWaiting();
    }

    @Override
    public void readFailed(String message) {
        log.warnOnce("cpuset-read/" + message, "cannot read the process's CPUs for the cpuset watch: " + message
                + "; a cpuset change goes unnoticed until this read works again");
    }

    /** Detach, or a new config: no watch (the thread ends at its next wake-up; a re-plan in progress finishes). */
    void stop() {
        CpusetWatch w;
        synchronized (this) {
            w = watch;
            watch = null;
            thread = null;
        }
        if (w != null) {
            w.stopSoon();
        }
    }

    /** A source that never changes: the thread only retries waiting workers. */
    private static final class Unwatched implements AllowedCpusSource {
        private final CpuSet cpus;

        Unwatched(CpuSet cpus) {
            this.cpus = cpus;
        }

        @Override
        public CpuSet read() {
            return cpus;
        }
    }
}
