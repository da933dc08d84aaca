package io.affinityagent.engine;

import io.affinityagent.config.PoolKind;
import io.affinityagent.registry.WorkerRecord;

/**
 * The decisions, and nothing else: from the facts of one thread, the plan in force (null when
 * the agent pins nothing: starting or detached) and the record the registry holds for the thread
 * (null when none), what to do with it. No system call, no lock, no state: every event (a
 * worker or thread starting, a sweep, a re-plan, a detach) is decided here.
 */
public final class PinningPolicy {

    private PinningPolicy() {
    }

    public static Decision decide(Plan plan, ThreadFacts facts, WorkerRecord current) {
        if (plan == null) {
            return current != null ? Decision.RELEASE : Decision.NOTHING;
        }
        if (current != null && plan.owns(current.placement())) {
            return Decision.KEEP; // placed by this very plan already
        }
        Plan.RulePlacement match = matchOf(plan, facts);
        if (match != null) {
            return match.pinDecision();
        }
        if (current != null) {
            return Decision.RELEASE; // placed by an earlier plan that no rule of this one matches
        }
        // A thread no rule matches is left alone, unless it inherited a mask of ours.
        return facts.inheritedPinnedMask() ? Decision.RESET_INHERITED_MASK : Decision.NOTHING;
    }

    /** The first rule that matches; a plain thread is matched only when some rule asks for any-thread. */
    static Plan.RulePlacement matchOf(Plan plan, ThreadFacts facts) {
        return matchOf(plan, facts.name(), facts.kind(), facts.pool());
    }

    /** The same, from the facts one by one (a thread's start asks before it makes a facts object). */
    static Plan.RulePlacement matchOf(Plan plan, String name, PoolKind kind, Object pool) {
        if (kind == PoolKind.ANY_THREAD && !plan.hasAnyThreadRules()) {
            return null;
        }
        return plan.match(name, kind, pool == null ? null : pool.getClass());
    }
}
