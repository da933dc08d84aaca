package io.affinityagent.jdk;

import java.util.Properties;
import java.util.Set;

/**
 * The JVM's agent properties with a hook that runs each time an attach client reads them.
 * HotSpot answers {@code VirtualMachine.getAgentProperties()} by calling
 * {@code VMSupport.serializeAgentPropertiesToByteArray()}, which calls
 * {@link #stringPropertyNames()} on this object (JDK 17 and 25 alike), on the Attach Listener
 * thread; the agent installs this copy in place of the JDK's own. So a read is the one moment
 * the agent can look for a {@link ControlRequest} without a thread, a socket, JMX, or loading
 * an agent again, and what it publishes while doing so is in the very answer the client gets.
 */
public final class ReadHookProperties extends Properties {

    private static final long serialVersionUID = 1L;

    private transient volatile Runnable onRead;

    public ReadHookProperties(Properties copyOf) {
        super();
        putAll(copyOf);
    }

    public void setOnRead(Runnable onRead) {
        this.onRead = onRead;
    }

    @Override
    public Set<String> stringPropertyNames() {
        Runnable hook = onRead;
        if (hook != null) {
            try {
                hook.run();
            } catch (Throwable ignored) {
                // Never into the attach listener: the client still gets the properties.
            }
        }
        return super.stringPropertyNames();
    }
}
