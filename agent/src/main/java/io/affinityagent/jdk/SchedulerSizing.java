package io.affinityagent.jdk;

/**
 * A pinned thread sees only its own CPUs in {@code Runtime.availableProcessors()}. The common
 * pool and the virtual-thread scheduler size themselves from it when first initialised, so this
 * makes that happen on a thread the agent has not pinned, before the first pin.
 */
public final class SchedulerSizing {

    /** The JDK's property for the virtual-thread scheduler's parallelism (JDK 21+). */
    static final String VIRTUAL_SCHEDULER_PARALLELISM = "jdk.virtualThreadScheduler.parallelism";

    private SchedulerSizing() {
    }

    /**
     * On a not-yet-pinned thread: the common pool sizes itself when ForkJoinPool is initialised,
     * so initialise it now (no thread starts). The virtual-thread scheduler sizes itself when
     * VirtualThread is initialised, which on JDK 24+ also starts a thread of the JDK's; rather
     * than that, fix its parallelism at what it would be without the agent, unless the
     * application set it.
     */
    public static void fixFromTheProcess() {
        try {
            Class.forName("java.util.concurrent.ForkJoinPool", true, null);
        } catch (Throwable ignored) {
            // always there
        }
        if (Runtime.version().feature() >= 21 && System.getProperty(VIRTUAL_SCHEDULER_PARALLELISM) == null) {
            System.setProperty(VIRTUAL_SCHEDULER_PARALLELISM,
                    Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
    }
}
