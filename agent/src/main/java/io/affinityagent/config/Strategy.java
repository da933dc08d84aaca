package io.affinityagent.config;

/** How a rule hands its CPUs to the workers it matches. */
public enum Strategy {
    /** One CPU per worker: the least-loaded CPU, ties in round-robin order. */
    ROUND_ROBIN("round-robin"),
    /** Every worker may run on any CPU of the rule. */
    SHARED("shared");

    private final String configName;

    Strategy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
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
