package io.affinityagent.cli;

import io.affinityagent.registry.Reply;
import io.affinityagent.registry.StatusPublisher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What the agent in a JVM published in its agent properties (see registry.StatusPublisher). */
final class AgentState {

    /** absent: never loaded (or refused to start); active; detached. */
    enum State { ABSENT, ACTIVE, DETACHED }

    /** One rule as published: its CPUs, strategy, per-slot loads and counters. */
    static final class RuleStatus {
        final String name;
        final Map<String, String> fields;

        RuleStatus(String name, Map<String, String> fields) {
            this.name = name;
            this.fields = fields;
        }

        String field(String key) {
            return fields.getOrDefault(key, "");
        }

        int[] loads() {
            String v = field("loads");
            if (v.isEmpty()) {
                return new int[0];
            }
            String[] parts = v.split(",");
            int[] out = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = parseInt(parts[i]);
            }
            return out;
        }

        int workers() {
            int n = 0;
            for (int l : loads()) {
                n += l;
            }
            return n;
        }

        long counter(String key) {
            try {
                return Long.parseLong(field(key));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    /** A thread the agent pinned: its rule, the mask it gave, its full Java name. */
    static final class PinnedThread {
        final String rule;
        final String cpus;
        final String name;

        PinnedThread(String rule, String cpus, String name) {
            this.rule = rule;
            this.cpus = cpus;
            this.name = name;
        }
    }

    /**
     * One hook's time: its first call (with the one-off set-up), then how many calls came after
     * it, their nanoseconds in all, and how many of those were spent in the pin call (the system
     * call; with a move, the migration and the wait for the target CPU), -1 when the agent did
     * not say (an older version).
     */
    static final class HookTime {
        final String hook;
        final long firstNanos;
        final long laterCalls;
        final long laterNanos;
        final long laterPinNanos;

        HookTime(String hook, long firstNanos, long[] later) {
            this.hook = hook;
            this.firstNanos = firstNanos;
            this.laterCalls = later[0];
            this.laterNanos = later[1];
            this.laterPinNanos = later[2];
        }

        /** Mean µs per call after the first in the pin call; 0 when unknown. */
        double laterPinMicrosPerCall() {
            return laterPinNanos < 0 ? 0 : perCall(laterPinNanos);
        }

        /** Mean µs per call after the first of the agent's own work (all of it when the split is unknown). */
        double laterOwnMicrosPerCall() {
            return perCall(laterPinNanos < 0 ? laterNanos : Math.max(0, laterNanos - laterPinNanos));
        }

        private double perCall(long nanos) {
            return laterCalls == 0 ? 0 : nanos / 1000.0 / laterCalls;
        }
    }

    private final Properties props;
    private final State state;
    private final List<RuleStatus> rules;
    private final Map<Integer, PinnedThread> threads;

    private AgentState(Properties props) {
        this.props = props;
        String s = props.getProperty(StatusPublisher.STATE);
        if (StatusPublisher.STATE_ACTIVE.equals(s)) {
            state = State.ACTIVE;
        } else if (StatusPublisher.STATE_DETACHED.equals(s)) {
            state = State.DETACHED;
        } else {
            state = State.ABSENT;
        }
        List<RuleStatus> r = new ArrayList<>();
        String names = props.getProperty(StatusPublisher.RULES, "");
        for (String name : names.split(",")) {
            if (!name.isEmpty()) {
                r.add(new RuleStatus(name, words(props.getProperty(StatusPublisher.RULE + name, ""))));
            }
        }
        rules = Collections.unmodifiableList(r);
        Map<Integer, PinnedThread> t = new HashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(StatusPublisher.THREAD)) {
                int tid = parseInt(key.substring(StatusPublisher.THREAD.length()));
                String[] parts = props.getProperty(key).split(" ", 3);
                if (tid > 0 && parts.length >= 2) {
                    t.put(tid, new PinnedThread(parts[0], parts[1], parts.length > 2 ? parts[2] : null));
                }
            }
        }
        threads = Collections.unmodifiableMap(t);
    }

    /** A JVM known to run no agent, its properties unread (the JVM's options then come from /proc). */
    static AgentState none() {
        return new AgentState(new Properties());
    }

    static AgentState of(Properties agentProperties) {
        return new AgentState(agentProperties);
    }

    State state() {
        return state;
    }

    String version() {
        return props.getProperty(StatusPublisher.VERSION);
    }

    String config() {
        return props.getProperty(StatusPublisher.CONFIG);
    }

    /** What pins in that JVM ("none: " and why where nothing can), or null when not published. */
    String backend() {
        return props.getProperty(StatusPublisher.BACKEND);
    }

    /** The request file the agent reads, as it names it in its own filesystem; null if it takes none. */
    String controlFile() {
        return props.getProperty(StatusPublisher.CONTROL);
    }

    List<RuleStatus> rules() {
        return rules;
    }

    /** Which JDK internals the agent found in its JVM ("25.0.1: 16 of 16 present"); null when not published. */
    String jdkInternals() {
        return props.getProperty(StatusPublisher.JDK);
    }

    /** The cpuset the plan was made for: "0-1 watch=1s"; null when not published. */
    String cpuset() {
        return props.getProperty(StatusPublisher.CPUSET);
    }

    /** The lock folder of its exclusive rules; null when it has none. */
    String hostLockDirectory() {
        String v = props.getProperty(StatusPublisher.HOST_LOCKS);
        int at = v == null ? -1 : v.indexOf(" dir=");
        return at < 0 ? null : v.substring(at + " dir=".length());
    }

    /** The CPUs it holds host-wide ("0-1", "none"); null when it has no exclusive rule. */
    String hostLocksHeld() {
        String v = props.getProperty(StatusPublisher.HOST_LOCKS);
        int at = v == null ? -1 : v.indexOf(" dir=");
        return at < 0 ? null : words(v.substring(0, at)).get("held");
    }

    /**
     * The time in the agent's hooks, hook by hook (empty when it did not publish it):
     * FIRST/CALLS/NANOS/PIN_NANOS, or FIRST/CALLS/NANOS from an agent before the split.
     */
    List<HookTime> hookTimes() {
        List<HookTime> out = new ArrayList<>();
        for (Map.Entry<String, String> e : words(props.getProperty(StatusPublisher.HOOK_TIME, "")).entrySet()) {
            String[] parts = e.getValue().split("/");
            if (parts.length == 3 || parts.length == 4) {
                try {
                    out.add(new HookTime(e.getKey(), Long.parseLong(parts[0]), new long[] {Long.parseLong(parts[1]),
                            Long.parseLong(parts[2]), parts.length == 4 ? Long.parseLong(parts[3]) : -1}));
                } catch (NumberFormatException ignored) {
                    // a field this version cannot read: left out
                }
            }
        }
        return out;
    }

    /** Pinned threads by native id. */
    Map<Integer, PinnedThread> threads() {
        return threads;
    }

    /** The JVM's own options (sun.jvm.args, JAVA_TOOL_OPTIONS included). */
    String jvmArgs() {
        return props.getProperty("sun.jvm.args", "");
    }

    /** The last {@code -XX:+NAME}/{@code -XX:-NAME} in the JVM's options: "+", "-" or null. */
    String lastFlag(String flag) {
        String sign = null;
        for (String o : jvmArgs().split(" ")) {
            if (o.equals("-XX:+" + flag)) {
                sign = "+";
            } else if (o.equals("-XX:-" + flag)) {
                sign = "-";
            }
        }
        return sign;
    }

    /** The reply fields (without the prefix) if the last reply answers the request {@code id}, else null. */
    Map<String, String> replyTo(String id) {
        if (!id.equals(props.getProperty(StatusPublisher.REPLY + Reply.ID))) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(StatusPublisher.REPLY)) {
                out.put(key.substring(StatusPublisher.REPLY.length()), props.getProperty(key));
            }
        }
        return out;
    }

    /** "cpus=0-1 strategy=round-robin loads=1,1" as a map, in order. */
    static Map<String, String> words(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String w : text.split(" ")) {
            int eq = w.indexOf('=');
            if (eq > 0) {
                out.put(w.substring(0, eq), w.substring(eq + 1));
            }
        }
        return out;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
