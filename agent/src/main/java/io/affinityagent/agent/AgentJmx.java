package io.affinityagent.agent;

import io.affinityagent.config.Rule;
import io.affinityagent.engine.PinObserver;
import io.affinityagent.engine.PinningEngine;
import io.affinityagent.engine.Plan;
import io.affinityagent.engine.ReplanOutcome;
import io.affinityagent.jmx.AgentReadModel;
import io.affinityagent.jmx.HookTimeSnapshot;
import io.affinityagent.jmx.JmxRegistration;
import io.affinityagent.jmx.PlanSnapshot;
import io.affinityagent.jmx.RuleSnapshot;
import io.affinityagent.jmx.WorkerSnapshot;
import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.HookTimes;
import io.affinityagent.registry.RuleCounters;
import io.affinityagent.registry.WorkerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The MXBean's view of the running agent (the engine's plan and registry, the hooks' own time)
 * and its two commands, which go the way the command line's do. Also the engine observer that
 * registers the MXBean once the platform MBeanServer exists (see {@link JmxRegistration}): on a
 * pin (at most one look a second until registered) and on a re-plan.
 */
final class AgentJmx implements AgentReadModel, PinObserver {

    private final Agent agent;
    private final PinningEngine engine;
    private final HookTimes hookTimes;
    private final String backend;
    private final JmxRegistration registration;

    AgentJmx(Agent agent, PinningEngine engine, HookTimes hookTimes, String backend) {
        this.agent = agent;
        this.engine = engine;
        this.hookTimes = hookTimes;
        this.backend = backend;
        this.registration = new JmxRegistration(this, AgentMain.version());
    }

    JmxRegistration registration() {
        return registration;
    }

    // ---- AgentReadModel ----

    @Override
    public PlanSnapshot plan() {
        Plan plan = engine.plan();
        List<RuleSnapshot> rules = new ArrayList<>();
        if (plan != null) {
            for (Plan.RulePlacement rp : plan.rules()) {
                Rule r = rp.rule();
                RuleCounters c = engine.registry().counters(r.name());
                rules.add(new RuleSnapshot(r.name(), r.selectorText(), r.cpus().toString(), r.strategy().configName(),
                        rp.placement().loads(), c.matched(), c.pinned(), c.failed(), c.exited()));
            }
        }
        return new PlanSnapshot(plan == null ? engine.lifecycle().phase().name().toLowerCase(java.util.Locale.ROOT)
                : "active", plan == null ? null : plan.config().file().toString(), backend, processCpus(), rules);
    }

    @Override
    public List<WorkerSnapshot> workers() {
        List<WorkerSnapshot> out = new ArrayList<>();
        for (Map.Entry<Thread, WorkerRecord> e : engine.registry().workers()) {
            WorkerRecord w = e.getValue();
            if (w.state() != WorkerRecord.PinState.PINNED) {
                continue; // pinned workers only: a failed one runs where the kernel puts it
            }
            out.add(WorkerSnapshot.of(w.threadName(), w.nativeThreadId(), w.rule().name(),
                    w.poolKind().configName(), w.slot().mask().toString()));
        }
        return out;
    }

    @Override
    public List<HookTimeSnapshot> ownTime() {
        List<HookTimeSnapshot> out = new ArrayList<>();
        for (HookTimes.Hook h : HookTimes.Hook.values()) {
            long first = hookTimes.firstNanos(h);
            if (first >= 0) {
                out.add(new HookTimeSnapshot(h.key(), first, hookTimes.laterCalls(h), hookTimes.laterNanos(h),
                        hookTimes.laterPinNanos(h)));
            }
        }
        return out;
    }

    @Override
    public String replan(String configFile) {
        return agent.replanFromJmx(configFile);
    }

    @Override
    public String detach() {
        return agent.detachFromJmx();
    }

    private static String processCpus() {
        try {
            return ProcFs.system().selfAllowedCpus().toString();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    // ---- PinObserver: when to look for the platform MBeanServer ----

    @Override
    public void pinned(Thread thread, WorkerRecord worker, boolean moved, long nanos) {
        registration.onAgentEvent();
    }

    @Override
    public void released(Thread thread, WorkerRecord worker) {
    }

    @Override
    public void failed(Thread thread, WorkerRecord worker, String why) {
        registration.onAgentEvent();
    }

    @Override
    public void replanned(ReplanOutcome outcome) {
        registration.registerIfPlatformServerExists();
    }
}
