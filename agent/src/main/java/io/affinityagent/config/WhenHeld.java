package io.affinityagent.config;

/**
 * {@code rule.NAME.when-held}: what an exclusive rule's new worker does when every CPU of the
 * rule is locked host-wide by another process (another JVM's agent or an OpenHFT
 * {@code AffinityLock}).
 */
public enum WhenHeld {
    /**
     * The worker runs on the process's CPUs, unpinned, and is pinned (and its CPU locked) as soon
     * as one of the rule's CPUs is free: the cpuset watch looks at every wake-up.
     */
    WAIT("wait"),
    /** The worker is placed on the rule's CPUs anyway, beside the holder, without a lock. */
    SHARE("share"),
    /** The worker runs on the process's CPUs, unpinned, until the next re-plan. */
    UNPINNED("unpinned");

    private final String configName;

    WhenHeld(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static WhenHeld fromConfigName(String name) {
        for (WhenHeld w : values()) {
            if (w.configName.equals(name)) {
                return w;
            }
        }
        return null;
    }

    public static String allConfigNames() {
        return "wait | share | unpinned";
    }
}
