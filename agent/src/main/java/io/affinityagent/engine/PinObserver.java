package io.affinityagent.engine;

import io.affinityagent.registry.WorkerRecord;

/**
 * Told of what the engine does, for JFR events and a JMX view. Called on the thread that acts
 * (a new worker itself, or the one running a sweep), after the fact; must not block and must not
 * throw (what it throws is swallowed). With no observer set the engine pays one null check.
 */
public interface PinObserver {

    /**
     * A thread's mask was set to its slot ({@code worker.slot().mask()}) by rule
     * {@code worker.rule()}; {@code moved} unless the agent had placed it on that very mask before
     * (a re-plan that gives it the same CPUs); {@code nanos} the system call's.
     */
    void pinned(Thread thread, WorkerRecord worker, boolean moved, long nanos);

    /** The agent let go of a thread it had placed: slot back, the process's CPUs back. */
    void released(Thread thread, WorkerRecord worker);

    /**
     * A thread the agent had placed is exiting; its slot went back. Nothing is asked of the
     * kernel, so this is not {@link #released}.
     */
    default void exited(Thread thread, WorkerRecord worker) {
    }

    /** A pin failed; the thread runs unpinned. */
    void failed(Thread thread, WorkerRecord worker, String why);

    /** A re-plan (or detach) is done. */
    void replanned(ReplanOutcome outcome);
}
