package io.affinityagent.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one attach or detach did, published under {@code affinity-agent.reply.} for the command
 * line that asked (it names its request with an id) and read back through the attach API:
 * <pre>
 * affinity-agent.reply.id        the request's id
 * affinity-agent.reply.command   attach | detach
 * affinity-agent.reply.status    ok | error
 * affinity-agent.reply.pinned    running workers pinned now (re-pinned, on a second attach)
 * affinity-agent.reply.kept      running workers already where the plan wants them
 * affinity-agent.reply.released  workers given the process's CPUs back
 * affinity-agent.reply.unmapped  running pool workers whose native id could not be found
 * affinity-agent.reply.failed    workers the kernel refused to pin
 * affinity-agent.reply.by-rule   per rule, one line each: "RULE PINNED KEPT RELEASED FAILED"
 * affinity-agent.reply.millis    time the agent spent on the request
 * affinity-agent.reply.messages  errors and warnings, one per line ("error: ..." / "warning: ...")
 * </pre>
 */
public final class Reply {

    public static final String ID = "id";
    public static final String COMMAND = "command";
    public static final String STATUS = "status";
    public static final String PINNED = "pinned";
    public static final String KEPT = "kept";
    public static final String RELEASED = "released";
    public static final String UNMAPPED = "unmapped";
    public static final String FAILED = "failed";
    public static final String BY_RULE = "by-rule";
    public static final String MILLIS = "millis";
    public static final String MESSAGES = "messages";

    public static final String OK = "ok";
    public static final String ERROR = "error";

    private final String id;
    private final String command;
    private final long startNanos = System.nanoTime();
    private final List<String> messages = new ArrayList<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final List<String> byRule = new ArrayList<>();
    private boolean failed;

    public Reply(String id, String command) {
        this.id = id;
        this.command = command;
    }

    public String id() {
        return id;
    }

    public void error(String message) {
        failed = true;
        messages.add("error: " + message);
    }

    public void warning(String message) {
        messages.add("warning: " + message);
    }

    public boolean isError() {
        return failed;
    }

    public void count(String what, int n) {
        counts.put(what, n);
    }

    /** What a command did to the threads of one rule (for released threads, the rule that had placed them). */
    public void rule(RuleCounts counts) {
        byRule.add(counts.line());
    }

    public List<String> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** The fields to publish, in a stable order. */
    Map<String, String> fields() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ID, id == null ? "" : id);
        out.put(COMMAND, command);
        out.put(STATUS, failed ? ERROR : OK);
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            out.put(e.getKey(), Integer.toString(e.getValue()));
        }
        out.put(BY_RULE, String.join("\n", byRule));
        out.put(MILLIS, Long.toString((System.nanoTime() - startNanos) / 1_000_000));
        out.put(MESSAGES, String.join("\n", messages));
        return out;
    }
}
