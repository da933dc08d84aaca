package io.affinityagent.jfr;

import io.affinityagent.engine.Lifecycle;
import io.affinityagent.engine.PinObserver;
import io.affinityagent.engine.PinningEngine;
import io.affinityagent.engine.Plan;
import io.affinityagent.engine.ReplanOutcome;
import io.affinityagent.registry.WorkerRecord;

/**
 * The engine's observer that reports what it does as {@link AgentEvents}: each pin, release,
 * exit, failed pin and re-plan. On the worker-start path this costs the event's
 * {@code shouldCommit()} and nothing more when no recording runs.
 */
public final class EngineEvents implements PinObserver {

    private final AgentEvents events;
    private final PinningEngine engine;

    public EngineEvents(AgentEvents events, PinningEngine engine) {
        this.events = events;
        this.engine = engine;
    }

    /** The observer for this JVM, or null when it has no JFR. */
    public static PinObserver forThisJvm(PinningEngine engine) {
        AgentEvents events = AgentEvents.forThisJvm();
        return events == null ? null : new EngineEvents(events, engine);
    }

    @Override
    public void pinned(Thread thread, WorkerRecord worker, boolean moved, long nanos) {
        events.workerPinned(thread, worker.nativeThreadId(), worker.rule().name(), worker.poolKind().configName(),
                worker.slot().mask(), moved, nanos);
    }

    @Override
    public void released(Thread thread, WorkerRecord worker) {
        // The engine releases in sweeps only: a detach, or a re-plan no rule of which matches the thread.
        String reason = engine.lifecycle().phase() == Lifecycle.Phase.DETACHED ? "detach" : "re-plan";
        events.workerReleased(thread, worker.nativeThreadId(), worker.rule().name(), worker.slot().mask(), reason);
    }

    @Override
    public void exited(Thread thread, WorkerRecord worker) {
        events.workerReleased(thread, worker.nativeThreadId(), worker.rule().name(), worker.slot().mask(), "exit");
    }

    @Override
    public void failed(Thread thread, WorkerRecord worker, String why) {
        events.pinFailed(thread, worker.nativeThreadId(), worker.rule().name(), worker.slot().mask(), why);
    }

    @Override
    public void replanned(ReplanOutcome outcome) {
        if (!events.mayRecord()) {
            return;
        }
        Plan plan = engine.plan();
        events.replanned(reasonName(outcome), plan == null ? null : plan.config().file().toString(),
                io.affinityagent.engine.ReplanWords.of(outcome), plan == null ? "" : loads(plan), outcome.pinned(), outcome.kept(),
                outcome.released(), outcome.failed());
    }

    private static String reasonName(ReplanOutcome outcome) {
        return outcome.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** "orders cpus=0-1 loads=1,1; batch cpus=2-3 loads=4", as status shows each rule. */
    static String loads(Plan plan) {
        StringBuilder sb = new StringBuilder();
        for (Plan.RulePlacement rp : plan.rules()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(rp.rule().name()).append(" cpus=").append(rp.rule().cpus()).append(" loads=");
            int[] loads = rp.placement().loads();
            for (int i = 0; i < loads.length; i++) {
                sb.append(i > 0 ? "," : "").append(loads[i]);
            }
        }
        return sb.toString();
    }
}
