package io.affinityagent.control;

import io.affinityagent.jdk.ReadHookProperties;
import java.util.Properties;

/**
 * Commands through a request file, taken when an attach client reads the agent properties (see
 * {@link ReadHookProperties}): the agent acts on the request and writes its reply and its status
 * before the properties are sent, so the client finds both in the answer. Nothing is loaded and
 * nothing printed in the JVM, and a start or exit of a worker writes nothing.
 */
final class ReadHookChannel implements ControlChannel {

    private final ReadHookProperties properties;
    private final RequestInbox inbox;

    ReadHookChannel(ReadHookProperties properties, RequestInbox inbox) {
        this.properties = properties;
        this.inbox = inbox;
    }

    @Override
    public Properties properties() {
        return properties;
    }

    @Override
    public String address() {
        return inbox.file().toString();
    }

    @Override
    public boolean writesStatusOnRead() {
        return true;
    }

    @Override
    public void listen(Listener listener) {
        properties.setOnRead(new Runnable() { // a class, not a lambda: premain path
            @Override
            public void run() {
                RequestInbox.Found found = inbox.take(System.currentTimeMillis());
                if (found.problem() != null) {
                    listener.problem(found.problem());
                }
                if (found.request() != null) {
                    listener.command(found.request().arguments());
                }
                listener.writeStatus();
            }
        });
    }
}
