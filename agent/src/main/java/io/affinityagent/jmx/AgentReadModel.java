package io.affinityagent.jmx;

import java.util.List;

/**
 * What the MXBean shows and does, as the agent knows it: a plan, its live workers and the
 * agent's own time, each read afresh at every call (a JMX client polls: nothing is kept up to
 * date in between), and the two commands. Bound to the engine and the registry by the agent;
 * tests give their own.
 */
public interface AgentReadModel {

    PlanSnapshot plan();

    /** The workers the agent pinned and that are still alive, without what the kernel says (the MXBean adds it). */
    List<WorkerSnapshot> workers();

    /** The agent's own time, hook by hook. */
    List<HookTimeSnapshot> ownTime();

    /**
     * Makes the plan again from a config file, as {@code attach PID --config FILE} does.
     *
     * @return the outcome, in the command line's words
     * @throws IllegalArgumentException a config with errors (its problems, one per line, as {@code check}
     *                                  prints them); the plan is left as it was
     */
    String replan(String configFile);

    /** Stops pinning and gives every pinned worker the process's CPUs back, as {@code detach PID} does. */
    String detach();
}
