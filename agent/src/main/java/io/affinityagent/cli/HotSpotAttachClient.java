package io.affinityagent.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The command line's own client of HotSpot's attach protocol, the one jcmd speaks: the JDK's
 * client (module jdk.attach) makes the command's JVM load its providers and jvmstat before it
 * sends a byte, and sleeps at least 100 ms after its signal; this one needs java.base's Unix
 * domain sockets and, to start a JVM's attach listener, one kill(2) through the JNI helper.
 *
 * <p>Protocol version 1, which HotSpot JVMs take from JDK 6 to 25 (JDK 24's version 2 is asked
 * for by the client, never required): one connection per command; the request is "1", the
 * command and three arguments, each a UTF-8 string ended by a NUL byte; the reply is the
 * completion status in decimal and a newline, then the command's output until the JVM closes
 * the connection. A status other than 0 is a failure, and the output says why.
 *
 * <p>Starting the listener: HotSpot takes a SIGQUIT as "start your attach listener" when it finds
 * {@code .attach_pid<pid>} in its working directory or its /tmp (else it prints a thread dump);
 * the listener binds {@code /tmp/.java_pid<pid>} (as the JVM sees /tmp, its pid as it knows it:
 * a container's) under a temporary name and renames it once it listens.
 */
final class HotSpotAttachClient {

    static final String PROTOCOL_VERSION = "1";
    /** What the JDK's client waits for a JVM's attach listener to start (its default attach timeout). */
    static final long LISTENER_TIMEOUT_NANOS = 10_000_000_000L;

    /** Sends the SIGQUIT that starts a JVM's attach listener. */
    interface ListenerSignal {
        void send(long pid) throws IOException;
    }

    /** The JVM did not open its attach socket in time. */
    static final class NoListener extends IOException {
        NoListener(String message) {
            super(message);
        }
    }

    /** One command's answer: the completion status and the output. */
    static final class Reply {
        final int status;
        final String output;

        Reply(int status, String output) {
            this.status = status;
            this.output = output;
        }

        /** The output's first line (without its newline), or "" when there is none. */
        String firstLine() {
            int end = output.indexOf('\n');
            return (end < 0 ? output : output.substring(0, end)).strip();
        }
    }

    private final Path socket;

    private HotSpotAttachClient(Path socket) {
        this.socket = socket;
    }

    /**
     * A client of the target's attach listener, started first when it does not run (the trigger
     * file, a SIGQUIT, and a wait for the socket, polled every millisecond: a JVM opens it within
     * a few); the socket must belong to the JVM's user and no one else may write to it.
     *
     * @throws NoListener when the socket is not there within {@code timeoutNanos}
     */
    static HotSpotAttachClient open(TargetProcess target, ListenerSignal signal, long timeoutNanos) throws IOException {
        Path socket = target.attachSocket();
        if (!Files.exists(socket)) {
            startListener(target, socket, signal, timeoutNanos);
        }
        requireJvmsOwn(socket, target.owner().uid());
        return new HotSpotAttachClient(socket);
    }

    private static void startListener(TargetProcess target, Path socket, ListenerSignal signal, long timeoutNanos)
            throws IOException {
        Path trigger = createTrigger(target.attachTriggers());
        try {
            long start = System.nanoTime();
            signal.send(target.pid());
            boolean again = false;
            while (!Files.exists(socket)) {
                long waited = System.nanoTime() - start;
                if (waited > timeoutNanos) {
                    throw new NoListener("JVM " + target.pid() + " did not open its attach socket " + socket + " within "
                            + timeoutNanos / 1_000_000 + " ms");
                }
                if (!again && waited > timeoutNanos / 2) {
                    signal.send(target.pid()); // as the JDK does: a last chance, should the first have come too early
                    again = true;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for JVM " + target.pid() + "'s attach socket", e);
                }
            }
        } finally {
            if (trigger != null) {
                Files.deleteIfExists(trigger);
            }
        }
    }

    /** Creates the first trigger file it can; null when one is there already (another command's, left to it). */
    private static Path createTrigger(List<Path> candidates) throws IOException {
        IOException failure = null;
        for (Path candidate : candidates) {
            try {
                return candidate.toFile().createNewFile() ? candidate : null;
            } catch (IOException e) {
                failure = e;
            }
        }
        throw new IOException("cannot create the attach trigger file " + candidates + ": " + failure.getMessage(),
                failure);
    }

    /** As the JDK checks: a socket someone else made (or may write to) is not the JVM's. */
    private static void requireJvmsOwn(Path socket, int jvmUid) throws IOException {
        int owner = (Integer) Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != jvmUid) {
            throw new IOException("the attach socket " + socket + " belongs to uid " + owner + ", not to the JVM's user"
                    + " (uid " + jvmUid + ")");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("the attach socket " + socket + " may be written by others than its owner");
        }
    }

    /** Runs one command with up to three arguments; the whole reply, read until the JVM closes it. */
    Reply execute(String command, String... arguments) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer request = ByteBuffer.wrap(request(command, arguments));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            return readReply(Channels.newInputStream(channel));
        }
    }

    /** A command's properties ({@code properties}, {@code agentProperties}), as the JVM stores them. */
    Properties properties(String command) throws IOException {
        Reply reply = execute(command);
        if (reply.status != 0) {
            throw new IOException("the JVM refused '" + command + "': " + reply.output.strip());
        }
        Properties p = new Properties();
        p.load(new java.io.StringReader(reply.output));
        return p;
    }

    /** The request's bytes: the version, the command and exactly three arguments, each ended by NUL. */
    static byte[] request(String command, String... arguments) {
        if (arguments.length > 3) {
            throw new IllegalArgumentException("a command takes three arguments at most: " + arguments.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, PROTOCOL_VERSION);
        field(out, command);
        for (int i = 0; i < 3; i++) {
            field(out, i < arguments.length && arguments[i] != null ? arguments[i] : "");
        }
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL in an attach request's field: " + value);
        }
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }

    /** The status line, then the output to the end. */
    static Reply readReply(InputStream in) throws IOException {
        int status = 0;
        int digits = 0;
        boolean negative = false;
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("the JVM closed the attach connection without an answer");
            } else if (b == '-' && digits == 0 && !negative) {
                negative = true;
            } else if (b >= '0' && b <= '9' && digits < 9) {
                status = status * 10 + (b - '0');
                digits++;
            } else {
                throw new IOException("not an attach protocol answer: a status line holding '" + (char) b + "'");
            }
        }
        if (digits == 0) {
            throw new IOException("not an attach protocol answer: an empty status line");
        }
        String output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        return new Reply(negative ? -status : status, output);
    }
}
