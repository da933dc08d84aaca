package io.affinityagent.jfr;

import io.affinityagent.cpu.CpuSet;

/**
 * What the agent reports as it works, for whoever records it: the engine's observer calls these
 * after each pin, release, failed pin and re-plan. The one implementation writes JDK Flight
 * Recorder events ({@link FlightRecorderEvents}); each method costs a check of whether a
 * recording wants the event, and nothing else when none does, so arguments are passed as the
 * agent holds them (a {@link CpuSet}, not its text).
 */
public interface AgentEvents {

    /**
     * A worker was pinned.
     *
     * @param worker    the thread, or null when only its native id is known
     * @param nativeId  its native thread id (the tid of /proc)
     * @param poolKind  thread-pool, fork-join, common-pool, virtual-scheduler or any-thread
     * @param moved     whether its mask changed (false when a re-plan gave it the CPUs it had)
     * @param pinNanos  the time the pin took, system call included
     */
    void workerPinned(Thread worker, long nativeId, String rule, String poolKind, CpuSet cpus, boolean moved,
                      long pinNanos);

    /**
     * A pinned worker gave its CPUs back.
     *
     * @param reason exit, detach, or re-plan (no rule matches it any more)
     */
    void workerReleased(Thread worker, long nativeId, String rule, CpuSet cpus, String reason);

    /** A pin the kernel refused (or the agent could not make); the worker runs unpinned. */
    void pinFailed(Thread worker, long nativeId, String rule, CpuSet cpus, String reason);

    /**
     * The plan was made (again).
     *
     * @param reason    attach, re-attach, jmx, cpuset-change, detach
     * @param outcome   what the command line would say of it
     * @param ruleLoads each rule with its CPUs and per-CPU loads after the re-plan:
     *                  "orders cpus=0-1 loads=1,1; batch cpus=2-3 loads=4"
     * @param pinned    running workers pinned (moved to new CPUs)
     * @param kept      running workers left on the CPUs they had
     * @param released  workers given the process's CPUs back
     * @param failed    pins that failed
     */
    void replanned(String reason, String config, String outcome, String ruleLoads, int pinned, int kept, int released,
                   int failed);

    /**
     * False when no event can be recorded now, so a caller may skip making its fields (a
     * re-plan's words and loads are made at the agent's start, where no recorder runs yet).
     */
    default boolean mayRecord() {
        return true;
    }

    /**
     * The Flight Recorder events, or null when this JVM has no jdk.jfr module (a runtime made
     * with jlink without it): then no class of jdk.jfr is ever touched.
     */
    static AgentEvents forThisJvm() {
        if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
            return null;
        }
        return new FlightRecorderEvents();
    }
}
