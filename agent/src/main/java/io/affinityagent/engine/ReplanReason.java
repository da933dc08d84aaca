package io.affinityagent.engine;

/** Why the plan changes; said in the outcome and to an observer. */
public enum ReplanReason {
    /** The agent was just loaded into a running JVM (or started with it). */
    ATTACH,
    /** A later attach brought a new config. */
    RE_ATTACH,
    /** The process's cpuset changed. */
    CPUSET_CHANGE,
    /** An operator asked through JMX. */
    JMX,
    /** The agent lets every thread go. */
    DETACH
}
