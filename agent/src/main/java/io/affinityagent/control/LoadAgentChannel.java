package io.affinityagent.control;

import java.util.Properties;

/**
 * The fallback where this JDK keeps its agent properties in a way the agent cannot hook: the
 * command line loads the agent again with each command (agentmain), and the status is written
 * after each command, so {@code status} shows it as of the last one.
 */
final class LoadAgentChannel implements ControlChannel {

    private final Properties properties;

    LoadAgentChannel(Properties properties) {
        this.properties = properties;
    }

    @Override
    public Properties properties() {
        return properties;
    }

    @Override
    public String address() {
        return null;
    }

    @Override
    public boolean writesStatusOnRead() {
        return false;
    }

    @Override
    public void listen(Listener listener) {
        // Commands come through agentmain; nothing to listen to.
    }
}
