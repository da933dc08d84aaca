package io.affinityagent.agent;

import io.affinityagent.config.CpusetWatchInterval;
import io.affinityagent.engine.Plan;
import io.affinityagent.hostlock.HostCpuLocks;
import io.affinityagent.engine.PinningEngine;
import io.affinityagent.jdk.JdkInternals;
import io.affinityagent.registry.HookTimes;
import io.affinityagent.registry.StatusPublisher;
import io.affinityagent.registry.WorkerRecord;
import io.affinityagent.registry.WorkerRegistry;
import java.util.Map;

/**
 * Writes what the engine holds as the published status: the plan's header lines when the plan
 * changes, and the live lines (every rule's loads and counters, every thread the agent placed,
 * the reset count, the hooks' own time) afresh whenever the status is about to be read.
 */
public final class LiveStatus {

    private final StatusPublisher status;
    private final PinningEngine engine;
    private final HookTimes hookTimes;
    private final String control;

    /** @param control where the agent takes requests (published), or null */
    public LiveStatus(StatusPublisher status, PinningEngine engine, HookTimes hookTimes, String control) {
        this.status = status;
        this.engine = engine;
        this.hookTimes = hookTimes;
        this.control = control;
    }

    StatusPublisher publisher() {
        return status;
    }

    /** Replaces everything published with the state of the engine now: active and its config, or detached. */
    public void planChanged() {
        Plan plan = engine.plan();
        status.planChanged(AgentMain.version(), plan == null ? null : plan.config().file().toString(),
                plan == null ? null : plan.config().rules(), control);
        if (plan != null) {
            status.cpuset(plan.config().processCpus(), CpusetWatchInterval.text(plan.config().cpusetWatchMillis()));
        }
    }

    /** Writes the live lines afresh from the registry. */
    public void writeLiveLines() {
        status.replaceLiveLines(new Runnable() {
            @Override
            public void run() {
                status.jdkInternals(JdkInternals.summary(JdkInternals.ofThisJdk()));
                Plan plan = engine.plan();
                if (plan == null) {
                    return; // starting or detached: no rules, no threads
                }
                WorkerRegistry registry = engine.registry();
                for (Plan.RulePlacement rp : plan.rules()) {
                    status.ruleChanged(rp.rule(), rp.placement(), registry.counters(rp.rule().name()));
                }
                for (Map.Entry<Thread, WorkerRecord> e : registry.workers()) {
                    status.workerStarted(e.getValue());
                }
                long resets = registry.inheritedMasksReset();
                if (resets > 0) {
                    status.inheritedMasksReset(resets);
                }
                status.hookTimes(hookTimes);
                HostCpuLocks locks = engine.hostLocks();
                if (locks != null && plan.config().hasExclusiveRule()) {
                    status.hostLocks(locks.directory().toString(), locks.heldHere());
                }
            }
        });
    }
}
