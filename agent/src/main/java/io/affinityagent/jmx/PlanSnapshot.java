package io.affinityagent.jmx;

import java.util.List;
import javax.management.ConstructorParameters;

/** The agent's plan at one moment: its state, config, pinning backend and rules. An MXBean value. */
public final class PlanSnapshot {

    private final String state;
    private final String configFile;
    private final String backend;
    private final String processCpus;
    private final List<RuleSnapshot> rules;

    /**
     * @param state       active or detached
     * @param backend     what pins: "JNI helper (x86-64)", "OpenHFT affinity (JNA)", "none: ..."
     * @param processCpus the CPUs the process may use, in the kernel's list syntax
     */
    @ConstructorParameters({"state", "configFile", "backend", "processCpus", "rules"})
    public PlanSnapshot(String state, String configFile, String backend, String processCpus, List<RuleSnapshot> rules) {
        this.state = state;
        this.configFile = configFile;
        this.backend = backend;
        this.processCpus = processCpus;
        this.rules = List.copyOf(rules);
    }

    public String getState() {
        return state;
    }

    public String getConfigFile() {
        return configFile;
    }

    public String getBackend() {
        return backend;
    }

    public String getProcessCpus() {
        return processCpus;
    }

    public List<RuleSnapshot> getRules() {
        return rules;
    }
}
