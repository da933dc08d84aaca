package io.affinityagent.config;

/** How a rule hands its CPUs to the workers it matches. */
public enum Strategy {
    /** One CPU per worker: the least-loaded CPU, ties in round-robin order. */
    ROUND_ROBIN("round-robin"),
    /** Every worker may run on any CPU of the rule. */
    SHARED("shared"),
    /**
     * One CPU per worker, one worker per physical core first, balanced across sockets and NUMA
     * nodes; a core's second hardware thread only once every core has a worker (Erlang's
     * {@code +sbt ts}/{@code ps}, OpenMP's {@code spread}).
     */
    SPREAD("spread"),
    /** One CPU per worker, filling a core's hardware threads, then the next core, then the next socket (OpenMP's {@code close}). */
    COMPACT("compact"),
    /** A whole physical core per worker: all its hardware threads in the rule are the worker's mask. */
    PER_CORE("per-core");

    private final String configName;

    Strategy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** Whether the placement needs to know cores, sockets and nodes. */
    public boolean usesTopology() {
        return this == SPREAD || this == COMPACT || this == PER_CORE;
    }

    public static Strategy fromConfigName(String name) {
        for (Strategy s : values()) {
            if (s.configName.equals(name)) {
                return s;
            }
        }
        return null;
    }

    public static String allConfigNames() {
        StringBuilder sb = new StringBuilder();
        for (Strategy s : values()) {
            if (sb.length() > 0) {
                sb.append(" | ");
            }
            sb.append(s.configName);
        }
        return sb.toString();
    }
}
