package io.affinityagent.control;

import io.affinityagent.jdk.JvmAgentProperties;
import io.affinityagent.jdk.ReadHookProperties;
import java.lang.instrument.Instrumentation;
import java.util.Properties;

/**
 * How the command line reaches a running agent, chosen once at start: the
 * {@link ReadHookChannel} where this JDK lets the agent see each read of its agent properties
 * (requests arrive in a file, acted on and answered within the read; the status is written just
 * before each read), else the {@link LoadAgentChannel} (each command is a new load of the agent,
 * and the status is written after each command).
 */
public interface ControlChannel {

    /** What a channel hands its work to: the running agent. */
    interface Listener {
        /** A command arrived: the agent arguments a load would have passed. */
        void command(String agentArguments);

        /** The status is about to be read (or, without a read hook, a command was handled): write it. */
        void writeStatus();

        /** A request that could not be taken, one sentence. */
        void problem(String sentence);
    }

    /** The properties the status and the replies are written into (the JVM's agent properties); null if unreachable. */
    Properties properties();

    /** Where the command line leaves requests, published as {@code affinity-agent.control}; null for none. */
    String address();

    /** Starts handing commands and status reads to {@code listener}. */
    void listen(Listener listener);

    /** Whether the status is written when read; otherwise the agent writes it after each command itself. */
    boolean writesStatusOnRead();

    /** The read-hook channel if this JVM allows it, else the load-the-agent fallback. */
    static ControlChannel choose(Instrumentation inst, long pid) {
        ReadHookProperties hooked = JvmAgentProperties.openWithReadHook(inst);
        if (hooked != null && pid > 0) { // no pid (no /proc/self): nowhere to put the request file
            return new ReadHookChannel(hooked, RequestInbox.forThisProcess(pid));
        }
        return loadingTheAgent(hooked != null ? hooked : JvmAgentProperties.open(inst));
    }

    /** The fallback: commands by a new load of the agent, the status written into {@code properties} after each. */
    public static ControlChannel loadingTheAgent(Properties properties) {
        return new LoadAgentChannel(properties);
    }
}
