package io.affinityagent.jmx;

import java.util.List;

/**
 * {@code io.affinityagent:type=AffinityAgent}: the agent as JConsole, JMC, VisualVM, Jolokia or
 * Prometheus' JMX exporter see it. Open types only, so a client needs none of the agent's classes.
 */
public interface AffinityAgentMXBean {

    String getVersion();

    /** active or detached. */
    String getState();

    String getConfigFile();

    /** What pins: the agent's JNI helper, OpenHFT's affinity through JNA, or none (and why). */
    String getBackend();

    /** The CPUs the process may use. */
    String getProcessCpus();

    /** The plan: each rule's selectors, CPUs, strategy, per-slot loads and counters. */
    List<RuleSnapshot> getRules();

    /** The live workers the agent pinned, with the CPUs the kernel reports for each, read when asked. */
    List<WorkerSnapshot> getWorkers();

    /** Workers matched by a rule, pinned, failed to pin, exited: sums over the rules. */
    long getWorkersMatched();

    long getWorkersPinned();

    long getPinsFailed();

    long getWorkersExited();

    /** The agent's own time, hook by hook. */
    List<HookTimeSnapshot> getOwnTime();

    /**
     * Makes the plan again from a config file (a path the JVM can read), as
     * {@code attach PID --config FILE} does; a config with errors changes nothing.
     *
     * @return the outcome, as the command line says it
     */
    String replan(String configFile);

    /** Stops pinning and gives every pinned worker the process's CPUs back, as {@code detach PID} does. */
    String detach();
}
