package io.affinityagent.engine;

/**
 * The agent's one state, held in one field of the engine: {@link Phase#STARTING} (the hooks may
 * fire, nothing is pinned yet), {@link Phase#ACTIVE} with its plan, or {@link Phase#DETACHED}
 * (nothing pinned, exits still noted so that a later attach never takes a slot for a thread on
 * its way out). Only an active lifecycle has a plan.
 */
public final class Lifecycle {

    public enum Phase { STARTING, ACTIVE, DETACHED }

    static final Lifecycle STARTING = new Lifecycle(Phase.STARTING, null);
    static final Lifecycle DETACHED = new Lifecycle(Phase.DETACHED, null);

    private final Phase phase;
    private final Plan plan;

    private Lifecycle(Phase phase, Plan plan) {
        this.phase = phase;
        this.plan = plan;
    }

    static Lifecycle active(Plan plan) {
        return new Lifecycle(Phase.ACTIVE, plan);
    }

    public Phase phase() {
        return phase;
    }

    /** The plan in force; null unless active. */
    public Plan plan() {
        return plan;
    }
}
