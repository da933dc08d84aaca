package io.affinityagent.bench.jmh;

import java.util.Properties;

/**
 * Guards a benchmark fork against measuring the wrong thing: with
 * {@code -Daffinity.bench.expect-agent=true} the agent must be running and have pinned the
 * benchmark's workers (its rule's counter, as the agent publishes it in the JVM's agent
 * properties); with {@code false}, no affinity-agent may be present at all (a
 * {@code JAVA_TOOL_OPTIONS} could otherwise slip it into both arms). A failed check fails the
 * fork, and the suite reports the benchmark as failed rather than print a meaningless ratio.
 *
 * <p>Needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (the suite passes it to
 * both arms).
 */
public final class AgentPresence {

    public static final String EXPECT_AGENT = "affinity.bench.expect-agent";
    /** The value of {@link #EXPECT_AGENT} for an arm whose agent is loaded but pins nothing. */
    public static final String LOADED_ONLY = "loaded-only";
    private static final String PREFIX = "affinity-agent.";

    private AgentPresence() {
    }

    public static boolean expected() {
        return Boolean.getBoolean(EXPECT_AGENT);
    }

    /**
     * In an arm with the agent, waits until it has started (it publishes its version once its plan
     * is active): at JVM start the agent starts beside the application, and a benchmark measures
     * the agent at work, not workers that ran before its plan was ready. Returns at once otherwise.
     */
    public static void awaitStarted() throws InterruptedException {
        if (!expected() && !LOADED_ONLY.equals(System.getProperty(EXPECT_AGENT))) {
            return;
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (agentProperties().getProperty(PREFIX + "version") == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("affinity-agent has not started after 60 s: " + agentProperties());
            }
            Thread.sleep(1);
        }
    }

    /** Checks that {@code rule} pinned at least {@code minPinned} workers, or that there is no agent. */
    public static void verify(String rule, long minPinned) {
        Properties props = agentProperties();
        if (LOADED_ONLY.equals(System.getProperty(EXPECT_AGENT))) {
            // A diagnostic arm: the agent runs with rules that match nothing, so it pins no worker.
            if (props.getProperty(PREFIX + "version") == null) {
                throw new IllegalStateException("this fork should run with affinity-agent loaded, but it published"
                        + " nothing: " + props);
            }
            return;
        }
        if (!expected()) {
            for (String key : props.stringPropertyNames()) {
                if (key.startsWith(PREFIX)) {
                    throw new IllegalStateException("this fork should run without affinity-agent, but the agent is"
                            + " present (" + key + "=" + props.getProperty(key) + "); is it in JAVA_TOOL_OPTIONS?");
                }
            }
            return;
        }
        String status = props.getProperty(PREFIX + "rule." + rule);
        if (status == null) {
            throw new IllegalStateException("this fork should run with affinity-agent and its rule '" + rule
                    + "', but the agent published no such rule: " + props);
        }
        long pinned = counter(status, "pinned");
        if (pinned < minPinned) {
            throw new IllegalStateException("affinity-agent's rule '" + rule + "' pinned " + pinned + " workers, expected"
                    + " at least " + minPinned + ": " + status);
        }
    }

    /**
     * The agent's own time per hook as it publishes it ({@code worker-start=FIRST/CALLS/NANOS ...}), or
     * null without the agent.
     */
    public static String hookTime() {
        return agentProperties().getProperty(PREFIX + "hook-time");
    }

    private static long counter(String status, String name) {
        for (String part : status.split(" ")) {
            if (part.startsWith(name + "=")) {
                return Long.parseLong(part.substring(name.length() + 1));
            }
        }
        throw new IllegalStateException("no " + name + " in " + status);
    }

    /** Read the way an attach client reads them: stringPropertyNames() first, which has the agent write its status. */
    private static Properties agentProperties() {
        try {
            Properties props = (Properties) Class.forName("jdk.internal.vm.VMSupport").getMethod("getAgentProperties")
                    .invoke(null);
            props.stringPropertyNames();
            return props;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the JVM's agent properties (run with --add-exports"
                    + " java.base/jdk.internal.vm=ALL-UNNAMED): " + e, e);
        }
    }
}
