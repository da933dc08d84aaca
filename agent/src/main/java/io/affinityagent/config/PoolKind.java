package io.affinityagent.config;

/** The kinds of pool a rule's {@code pool} selector names. Each worker has exactly one. */
public enum PoolKind {
    /** ThreadPoolExecutor and its subclasses, ScheduledThreadPoolExecutor included. */
    THREAD_POOL("thread-pool"),
    /** A ForkJoinPool the application created (not the common pool, not the virtual-thread scheduler). */
    FORK_JOIN("fork-join"),
    /** ForkJoinPool.commonPool(): parallel streams, CompletableFuture's default executor. */
    COMMON_POOL("common-pool"),
    /** The carrier threads of the virtual-thread scheduler (JDK 21+). */
    VIRTUAL_SCHEDULER("virtual-scheduler"),
    /**
     * A platform thread that is not a worker of the pools above (Netty's event loops, Jetty's
     * and Tomcat's own pools, a plain {@code new Thread}), matched by name as it starts running.
     */
    ANY_THREAD("any-thread");

    private final String configName;

    PoolKind(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static PoolKind fromConfigName(String name) {
        for (PoolKind k : values()) {
            if (k.configName.equals(name)) {
                return k;
            }
        }
        return null;
    }

    public static String allConfigNames() {
        StringBuilder sb = new StringBuilder();
        for (PoolKind k : values()) {
            if (sb.length() > 0) {
                sb.append(" | ");
            }
            sb.append(k.configName);
        }
        return sb.toString();
    }
}
