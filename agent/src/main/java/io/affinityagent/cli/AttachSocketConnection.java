package io.affinityagent.cli;

import io.affinityagent.os.ProcessSignals;
import java.io.IOException;
import java.util.Properties;

/**
 * A connection through the command line's own client of HotSpot's attach protocol
 * ({@link HotSpotAttachClient}), with the JDK attach API's failures said the way
 * {@link JdkAttachConnection} says them.
 */
final class AttachSocketConnection extends JvmConnection {

    private static final String LOCAL_CONNECTOR = "com.sun.management.jmxremote.localConnectorAddress";
    private static final String RETURN_CODE = "return code: ";

    private final HotSpotAttachClient client;

    private AttachSocketConnection(TargetProcess target, HotSpotAttachClient client) {
        super(target);
        this.client = client;
    }

    /**
     * @param signals sends the SIGQUIT that starts the JVM's attach listener; null when it runs
     *                already (its socket is there)
     */
    static AttachSocketConnection open(TargetProcess target, ProcessSignals signals) throws CliException {
        try {
            return new AttachSocketConnection(target, HotSpotAttachClient.open(target, new Quit(signals),
                    HotSpotAttachClient.LISTENER_TIMEOUT_NANOS));
        } catch (HotSpotAttachClient.NoListener e) {
            throw new CliException("JVM " + target.pid() + " did not answer the attach request within "
                    + HotSpotAttachClient.LISTENER_TIMEOUT_NANOS / 1_000_000_000 + " s (started with"
                    + " -XX:+DisableAttachMechanism, or too busy to answer?)");
        } catch (IOException e) {
            if (!new java.io.File("/proc/" + target.pid()).exists()) {
                throw new CliException("JVM " + target.pid() + " exited");
            }
            throw new CliException("cannot attach to JVM " + target.pid() + ": " + e.getMessage());
        }
    }

    @Override
    Properties agentProperties() throws CliException {
        return properties("agentProperties");
    }

    @Override
    Properties systemProperties() throws CliException {
        return properties("properties");
    }

    private Properties properties(String command) throws CliException {
        try {
            return client.properties(command);
        } catch (IOException e) {
            throw connectionLost(target, e);
        }
    }

    @Override
    String threadDump() throws CliException {
        HotSpotAttachClient.Reply reply = jcmd("Thread.print");
        if (reply.status != 0) {
            throw new CliException("JVM " + target.pid() + " refused a thread dump: " + reply.output.strip());
        }
        return reply.output;
    }

    /** As the JDK's {@code startLocalManagementAgent}: the diagnostic command, then the address it publishes. */
    @Override
    String startLocalManagementAgent() throws CliException {
        HotSpotAttachClient.Reply reply = jcmd("ManagementAgent.start_local");
        if (reply.status != 0) {
            throw new CliException("JVM " + target.pid() + " did not start its local JMX agent: " + reply.output.strip());
        }
        return agentProperties().getProperty(LOCAL_CONNECTOR);
    }

    private HotSpotAttachClient.Reply jcmd(String command) throws CliException {
        try {
            return client.execute("jcmd", command);
        } catch (IOException e) {
            throw connectionLost(target, e);
        }
    }

    /**
     * The JVM loads its {@code instrument} library with "JAR=ARGUMENTS"; that runs the agent's
     * agentmain and answers "return code: N" (a bare N before JDK 15), N not 0 when it failed.
     */
    @Override
    void loadAgent(String jar, String arguments) throws CliException {
        long pid = target.pid();
        HotSpotAttachClient.Reply reply;
        try {
            reply = client.execute("load", "instrument", "false", jar + "=" + arguments);
        } catch (IOException e) {
            throw connectionLost(target, e);
        }
        String message = reply.output.strip();
        if (reply.status != 0) {
            if (saysDynamicLoadingDisabled(message)) {
                throw dynamicLoadingDisabled(pid);
            }
            throw new CliException("JVM " + pid + " could not load the agent: Failed to load agent library"
                    + (message.isEmpty() ? "" : ": " + message));
        }
        String line = reply.firstLine();
        String code = line.startsWith(RETURN_CODE) ? line.substring(RETURN_CODE.length()) : line;
        int returned;
        try {
            returned = Integer.parseInt(code.strip());
        } catch (NumberFormatException e) {
            throw new CliException("JVM " + pid + " could not load the agent: " + (line.isEmpty()
                    ? "Target VM did not respond" : line));
        }
        if (returned != 0) {
            throw new CliException("the agent failed to start in JVM " + pid + " (its stderr says why): Agent_OnAttach"
                    + " failed");
        }
    }

    @Override
    public void close() {
        // one connection per command, each closed with its reply: nothing is held
    }

    /** The JNI helper's SIGQUIT; none is needed when the listener runs already. */
    private static final class Quit implements HotSpotAttachClient.ListenerSignal {
        private final ProcessSignals signals;

        Quit(ProcessSignals signals) {
            this.signals = signals;
        }

        @Override
        public void send(long pid) throws IOException {
            if (signals == null) {
                throw new IOException("no means to signal JVM " + pid + " (its attach listener stopped?)");
            }
            signals.send(pid, ProcessSignals.SIGQUIT);
        }
    }
}
