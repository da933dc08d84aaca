package io.affinityagent.control;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;

/**
 * A request the command line leaves for an agent that is already running (a new config, or
 * detach), so that it need not load the agent again: on JDK 21+ every load prints the JDK's
 * warning into the application's stderr, even for a jar loaded before. The file holds the same
 * agent arguments a load would pass and when it was written:
 * <pre>
 * arguments=config=/etc/affinity.properties,request=5f0c2e
 * created=1732372800000
 * </pre>
 * It lives in the JVM's {@code /tmp} (where HotSpot keeps its attach files), named for the
 * JVM's pid ({@link RequestInbox#fileFor}); the agent acts on it when an attach client next reads the agent properties, and
 * only if the file belongs to the JVM's user (or root) and is fresh. See {@link RequestInbox}.
 */
public final class ControlRequest {

    /** A request older than this is stale (its command line died): dropped unread. */
    public static final long MAX_AGE_MILLIS = 120_000;
    /** Larger than any request: a larger file is not one. */
    public static final int MAX_BYTES = 16 * 1024;

    private static final String ARGUMENTS = "arguments";
    private static final String CREATED = "created";

    private final String arguments;
    private final long createdMillis;

    public ControlRequest(String arguments, long createdMillis) {
        this.arguments = arguments;
        this.createdMillis = createdMillis;
    }

    /** The agent arguments, as {@code -javaagent:...=} would give them. */
    public String arguments() {
        return arguments;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public boolean isFresh(long nowMillis) {
        return createdMillis <= nowMillis + 5_000 && nowMillis - createdMillis <= MAX_AGE_MILLIS;
    }

    public String toText() {
        Properties p = new Properties();
        p.setProperty(ARGUMENTS, arguments);
        p.setProperty(CREATED, Long.toString(createdMillis));
        StringBuilder sb = new StringBuilder("# a request from 'java -jar affinity-agent.jar' to the agent in this JVM\n");
        for (String key : new String[] {ARGUMENTS, CREATED}) {
            sb.append(key).append('=').append(escape(p.getProperty(key))).append('\n');
        }
        return sb.toString();
    }

    /** Reads a request; throws when the text is not one (a half-written file, say). */
    public static ControlRequest parse(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        String arguments = p.getProperty(ARGUMENTS);
        String created = p.getProperty(CREATED);
        if (arguments == null || created == null) {
            throw new IOException("not a complete request");
        }
        try {
            return new ControlRequest(arguments, Long.parseLong(created.trim()));
        } catch (NumberFormatException e) {
            throw new IOException("bad created time '" + created + "'");
        }
    }

    /** Properties escaping for a value: backslashes, line breaks, leading spaces. */
    private static String escape(String v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case ' ':
                    sb.append(i == 0 ? "\\ " : " ");
                    break;
                default:
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.toString();
    }
}
