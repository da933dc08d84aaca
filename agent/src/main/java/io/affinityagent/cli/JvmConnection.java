package io.affinityagent.cli;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.os.ProcessSignals;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Properties;

/**
 * A connection to a vetted HotSpot JVM's attach listener, with each failure turned into one line
 * a user can act on. Reading properties loads nothing into the JVM; {@link #loadAgent} loads the
 * agent (on JDK 21+ the JVM then prints its warning about dynamically loaded agents, unless it
 * runs with -XX:+EnableDynamicAgentLoading).
 *
 * <p>Two implementations, chosen once by {@link #open}: the command line's own client of the
 * attach protocol ({@link AttachSocketConnection}), and the JDK's attach API
 * ({@link JdkAttachConnection}) where ours cannot start the JVM's listener: no JNI helper for
 * this machine (it sends the signal), or one that does not load.
 */
abstract class JvmConnection implements AutoCloseable {

    /** {@code -Daffinity-agent.attach-client=jdk}: the JDK's attach API even where ours would do. */
    static final String CLIENT_PROPERTY = "affinity-agent.attach-client";

    final TargetProcess target;

    JvmConnection(TargetProcess target) {
        this.target = target;
    }

    static JvmConnection open(TargetProcess target) throws CliException {
        if (!"jdk".equals(System.getProperty(CLIENT_PROPERTY))) {
            if (Files.exists(target.attachSocket())) {
                return AttachSocketConnection.open(target, null);
            }
            ProcessSignals signals = loadSignals();
            if (signals != null) {
                return AttachSocketConnection.open(target, signals);
            }
        }
        return JdkAttachConnection.open(target);
    }

    /** The JNI helper's kill(2), or null where it cannot be had (the JDK's attach API then sends the signal). */
    private static ProcessSignals loadSignals() {
        if (!ProcessSignals.available()) {
            return null;
        }
        try {
            return ProcessSignals.load(NativeCalls.class);
        } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The JVM's agent properties: what a loaded affinity-agent publishes, and sun.jvm.args. */
    abstract Properties agentProperties() throws CliException;

    abstract Properties systemProperties() throws CliException;

    /**
     * The JVM's thread dump ({@code Thread.print}, what jstack prints): every Java thread's full
     * name, native id and stack. HotSpot takes it at a safepoint (all Java threads stop for a few
     * milliseconds).
     *
     * @throws CliException when the JVM refuses it
     */
    abstract String threadDump() throws CliException;

    /**
     * Starts the JVM's local JMX agent if it is not running (as JConsole does when it connects:
     * the JVM then creates its platform MBeanServer, and keeps an RMI connector on a local port
     * for the rest of its life); returns its address.
     */
    abstract String startLocalManagementAgent() throws CliException;

    /** Loads the agent jar with the given arguments; returns when its agentmain has returned. */
    abstract void loadAgent(String jar, String arguments) throws CliException;

    @Override
    public abstract void close();

    static CliException dynamicLoadingDisabled(long pid) {
        return new CliException("JVM " + pid + " was started with -XX:-EnableDynamicAgentLoading, so no agent can be"
                + " loaded into it while it runs; start it with -javaagent:affinity-agent.jar=config=FILE instead");
    }

    /** Whether a JVM's refusal to load an agent says that dynamic loading is off. */
    static boolean saysDynamicLoadingDisabled(String message) {
        return message.contains("EnableDynamicAgentLoading") || message.contains("Dynamic agent loading is not enabled");
    }

    static CliException connectionLost(TargetProcess target, IOException e) {
        if (!new java.io.File("/proc/" + target.pid()).exists()) {
            return new CliException("JVM " + target.pid() + " exited");
        }
        return new CliException("lost the connection to JVM " + target.pid() + ": " + e.getMessage());
    }
}
