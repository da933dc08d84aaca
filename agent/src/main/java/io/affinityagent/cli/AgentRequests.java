package io.affinityagent.cli;

import io.affinityagent.control.ControlRequest;
import io.affinityagent.registry.Reply;
import io.affinityagent.registry.RuleCounts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends one command (agent arguments) to the agent in a JVM and reads its reply. An agent that
 * is running already takes it from a request file, read when the agent properties are next
 * read, so nothing is loaded and JDK 21+ prints no new warning; otherwise (no agent yet, or one
 * that takes no requests) the agent is loaded with the arguments.
 */
final class AgentRequests {

    /** An agent's answer to one command. */
    static final class Answer {
        private final Map<String, String> reply;
        private final AgentState after;
        private final boolean loaded;

        Answer(Map<String, String> reply, AgentState after, boolean loaded) {
            this.reply = reply;
            this.after = after;
            this.loaded = loaded;
        }

        boolean isError() {
            return Reply.ERROR.equals(reply.get(Reply.STATUS));
        }

        int count(String key) {
            try {
                return Integer.parseInt(reply.getOrDefault(key, "0"));
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** What the command did, rule by rule. */
        List<RuleCounts> byRule() {
            return RuleCounts.parse(reply.get(Reply.BY_RULE));
        }

        String millis() {
            return reply.getOrDefault(Reply.MILLIS, "?");
        }

        /** "error: ..." and "warning: ..." lines. */
        List<String> messages() {
            String m = reply.getOrDefault(Reply.MESSAGES, "");
            return m.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(m.split("\n")));
        }

        /** What the agent publishes now that it is done. */
        AgentState after() {
            return after;
        }

        /** True when the agent was loaded for this command (a JDK 21+ JVM printed its warning). */
        boolean loaded() {
            return loaded;
        }
    }

    private AgentRequests() {
    }

    /**
     * @param arguments agent arguments without the request id, e.g. {@code config=/etc/a.properties}
     * @param notes     told why a request file could not be used, when it could not
     */
    static Answer send(JvmConnection jvm, TargetProcess target, AgentState before, String jar, String arguments,
                       List<String> notes) throws CliException {
        String id = Long.toHexString(ThreadLocalRandom.current().nextLong() ^ System.nanoTime());
        String withId = arguments + ",request=" + id;
        if (before.state() != AgentState.State.ABSENT) {
            if (before.controlFile() == null) {
                notes.add("the agent in JVM " + target.pid() + " (version " + before.version() + ") takes no request files;"
                        + " loading it again");
            } else {
                Answer answer = throughRequestFile(jvm, target, before.controlFile(), id, withId, notes);
                if (answer != null) {
                    return answer;
                }
            }
        }
        if ("-".equals(dynamicAgentLoading(before, target))) {
            throw JvmConnection.dynamicLoadingDisabled(target.pid());
        }
        jvm.loadAgent(jar, withId);
        AgentState after = AgentState.of(jvm.agentProperties());
        Map<String, String> reply = after.replyTo(id);
        if (reply == null) {
            throw new CliException("the agent in JVM " + target.pid() + " did not answer"
                    + (after.version() != null ? " (it is version " + after.version() + ")" : "")
                    + "; its stderr says why");
        }
        return new Answer(reply, after, true);
    }

    /**
     * The JVM's last -XX:+/-EnableDynamicAgentLoading ("+", "-" or null): from its agent
     * properties when they were read, else from /proc (its command line and environment).
     */
    static String dynamicAgentLoading(AgentState before, TargetProcess target) {
        return before.jvmArgs().isEmpty() ? target.lastFlag("EnableDynamicAgentLoading")
                : before.lastFlag("EnableDynamicAgentLoading");
    }

    /** Leaves the request, reads the properties (which makes the agent act on it); null if that did not work. */
    private static Answer throughRequestFile(JvmConnection jvm, TargetProcess target, String controlFile, String id,
                                             String arguments, List<String> notes) throws CliException {
        Path file = target.asSeenByTarget(Paths.get(controlFile));
        try {
            write(file, new ControlRequest(arguments, System.currentTimeMillis()).toText(), target);
        } catch (IOException e) {
            notes.add("cannot leave a request in " + file + " (" + e + "); loading the agent again instead");
            return null;
        }
        try {
            AgentState after = AgentState.of(jvm.agentProperties());
            Map<String, String> reply = after.replyTo(id);
            if (reply == null) {
                notes.add("the agent in JVM " + target.pid() + " did not take the request in " + file
                        + "; loading it again instead");
                return null;
            }
            return new Answer(reply, after, false);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the agent deletes it too; a stale one is dropped unread after two minutes
            }
        }
    }

    /**
     * Creates the request file, only ours to write (mode 600, never over an existing file), and
     * gives it to the JVM's user when this command runs as root.
     */
    private static void write(Path file, String text, TargetProcess target) throws IOException, CliException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
            if (age < ControlRequest.MAX_AGE_MILLIS) {
                throw new CliException("another affinity-agent command is talking to JVM " + target.pid() + " (" + file
                        + " exists); try again in a moment");
            }
            Files.delete(file); // stale: its command line died
        }
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (FileAlreadyExistsException e) {
            throw new CliException("another affinity-agent command is talking to JVM " + target.pid() + " (" + file
                    + " exists); try again in a moment");
        }
        int uid = target.owner().uid();
        if (uid != (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS)) {
            Files.setAttribute(file, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(file, "unix:gid", target.owner().gid(), LinkOption.NOFOLLOW_LINKS);
        }
    }
}
