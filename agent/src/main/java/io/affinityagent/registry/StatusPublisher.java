package io.affinityagent.registry;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.config.Rule;
import io.affinityagent.placement.Placement;
import java.util.List;
import java.util.Properties;

/**
 * Publishes what the agent did as the JVM's agent properties, which any attach client can read
 * without loading an agent (no JDK warning, no thread of ours): the {@code status} command, the
 * integration tests. Keys:
 * <pre>
 * affinity-agent.version            0.1.0
 * affinity-agent.state              active | detached
 * affinity-agent.config             /etc/affinity.properties        (while active)
 * affinity-agent.backend            native helper linux-aarch64 | OpenHFT/JNA (linux-ppc64le) | none: WHY
 * affinity-agent.control            /tmp/.affinity-agent-4242.request  (where the command line leaves requests)
 * affinity-agent.rules              orders,batch          (in match order)
 * affinity-agent.rule.NAME          cpus=2-3 strategy=round-robin loads=1,1 matched=2 pinned=2 failed=0 exited=0
 * affinity-agent.thread.TID         RULE CPUS THREAD-NAME (a live worker the agent pinned)
 * affinity-agent.inherited-masks-reset  3                 (threads started by a pinned thread, matched by
 *                                                          no rule, given the process's CPUs back)
 * affinity-agent.hook-time          worker-start=FIRST/CALLS/NANOS/PIN_NANOS ... (the time in each hook:
 *                                   its first call, then the later ones and of their time the
 *                                   pin call's, the rest being the agent's own work, see
 *                                   {@link HookTimes}; written on read only)
 * affinity-agent.jdk               17.0.13: 16 of 16 present  (the JDK internals the agent relies on, or
 *                                   which are missing; written on read only)
 * affinity-agent.reply.*            the outcome of the last attach or detach (see {@link Reply})
 * </pre>
 * Nothing is computed on a task path, and a worker start or exit writes nothing: the live lines
 * (rules, threads, the reset count, the hooks' own time) are written afresh from what the agent
 * holds just before each read (or, where the JDK hides the reads, after each command: see the
 * control package). A status is read a few times a day; workers may start thousands of times a
 * second.
 */
public final class StatusPublisher {

    public static final String PREFIX = "affinity-agent.";
    public static final String VERSION = PREFIX + "version";
    public static final String STATE = PREFIX + "state";
    public static final String CONFIG = PREFIX + "config";
    public static final String CONTROL = PREFIX + "control";
    /** What pins (os.CpuAffinity#backendName), or "none: " and why; kept across re-plans. */
    public static final String BACKEND = PREFIX + "backend";
    public static final String RULES = PREFIX + "rules";
    public static final String RULE = PREFIX + "rule.";
    public static final String THREAD = PREFIX + "thread.";
    public static final String INHERITED_MASKS_RESET = PREFIX + "inherited-masks-reset";
    public static final String HOOK_TIME = PREFIX + "hook-time";
    public static final String JDK = PREFIX + "jdk";
    /** The process's CPUs the plan was made for, and the cpuset watch's interval: {@code 0-1 watch=1s}. */
    public static final String CPUSET = PREFIX + "cpuset";
    /** Host-wide CPU locks: {@code dir=/tmp held=0-1}; absent when no rule is exclusive. */
    public static final String HOST_LOCKS = PREFIX + "host-locks";
    public static final String REPLY = PREFIX + "reply.";

    public static final String STATE_ACTIVE = "active";
    public static final String STATE_DETACHED = "detached";

    private final Properties sink;

    /** A publisher into {@code sink}, the JVM's agent properties; null writes nowhere. */
    public StatusPublisher(Properties sink) {
        this.sink = sink;
    }

    /**
     * Drops every rule and thread line, the reset count and the hook times, then runs
     * {@code write}, which writes them afresh (through {@link #ruleChanged},
     * {@link #workerStarted}, {@link #inheritedMasksReset}, {@link #hookTimes}); one step under
     * this publisher's lock.
     */
    public synchronized void replaceLiveLines(Runnable write) {
        if (sink == null) {
            return;
        }
        for (Object key : sink.keySet().toArray()) {
            String k = String.valueOf(key);
            if (k.startsWith(RULE) || k.startsWith(THREAD) || k.equals(INHERITED_MASKS_RESET) || k.equals(HOOK_TIME) || k.equals(JDK)
                    || k.equals(HOST_LOCKS)) {
                sink.remove(k);
            }
        }
        write.run();
    }

    /**
     * Replaces everything published with a new plan: version, state, config, rules (no rules:
     * detached). {@code control} is where the agent takes requests, or null when it cannot.
     */
    public synchronized void planChanged(String version, String config, List<Rule> rules, String control) {
        if (sink == null) {
            return;
        }
        for (Object key : sink.keySet().toArray()) {
            String k = String.valueOf(key);
            if (k.startsWith(PREFIX) && !k.equals(BACKEND)) {
                sink.remove(k);
            }
        }
        sink.setProperty(VERSION, version);
        if (control != null) {
            sink.setProperty(CONTROL, control);
        }
        if (rules == null) {
            sink.setProperty(STATE, STATE_DETACHED);
            return;
        }
        sink.setProperty(STATE, STATE_ACTIVE);
        sink.setProperty(CONFIG, config);
        StringBuilder names = new StringBuilder();
        for (Rule r : rules) {
            names.append(names.length() > 0 ? "," : "").append(r.name());
        }
        sink.setProperty(RULES, names.toString());
    }

    /** The cpuset the plan was made for and how it is watched (after {@link #planChanged}). */
    public synchronized void cpuset(CpuSet cpus, String watch) {
        if (sink != null) {
            sink.setProperty(CPUSET, cpus + " watch=" + watch);
        }
    }

    /** The lock folder and the CPUs this JVM holds host-wide (a live line). */
    public synchronized void hostLocks(String directory, CpuSet held) {
        if (sink != null) {
            sink.setProperty(HOST_LOCKS, "held=" + (held.isEmpty() ? "none" : held.toString()) + " dir=" + directory);
        }
    }

    /** What pins in this JVM (or "none: " and why): published once, when the backend is chosen. */
    public synchronized void backend(String backend) {
        if (sink != null) {
            sink.setProperty(BACKEND, backend);
        }
    }

    /** The outcome of an attach or detach, for the command line that asked (replaces the last one). */
    public synchronized void reply(Reply reply) {
        if (sink == null) {
            return;
        }
        for (Object key : sink.keySet().toArray()) {
            String k = String.valueOf(key);
            if (k.startsWith(REPLY)) {
                sink.remove(k);
            }
        }
        for (java.util.Map.Entry<String, String> e : reply.fields().entrySet()) {
            sink.setProperty(REPLY + e.getKey(), e.getValue());
        }
    }

    /**
     * The rule's current loads and counters. Reading them and storing the line is one step under
     * this publisher's lock: otherwise a line computed before another worker's change could be
     * stored after that worker's line, and stay wrong once the pool is quiet.
     */
    public synchronized void ruleChanged(Rule rule, Placement placement, RuleCounters counters) {
        if (sink == null) {
            return;
        }
        StringBuilder sb = new StringBuilder(64);
        sb.append("cpus=").append(rule.cpus()).append(" strategy=").append(rule.strategy().configName()).append(" loads=");
        int[] loads = placement.loads();
        for (int i = 0; i < loads.length; i++) {
            sb.append(i > 0 ? "," : "").append(loads[i]);
        }
        sb.append(" matched=").append(counters.matched()).append(" pinned=").append(counters.pinned())
                .append(" failed=").append(counters.failed()).append(" exited=").append(counters.exited());
        sink.setProperty(RULE + rule.name(), sb.toString());
    }

    public void workerStarted(WorkerRecord record) {
        if (sink != null && record.nativeThreadId() > 0) {
            sink.setProperty(THREAD + record.nativeThreadId(), record.rule().name() + " " + record.slot().mask() + " "
                    + record.threadName());
        }
    }

    /** How many threads got the process's CPUs back after inheriting a pinned mask. */
    public void inheritedMasksReset(long count) {
        if (sink != null) {
            sink.setProperty(INHERITED_MASKS_RESET, Long.toString(count));
        }
    }

    /** Which of the JDK internals the agent relies on this JDK has (see jdk.JdkInternals). */
    public void jdkInternals(String summary) {
        if (sink != null) {
            sink.setProperty(JDK, summary);
        }
    }

    /** The agent's own time per hook so far. */
    public void hookTimes(HookTimes times) {
        String line = times.describe();
        if (sink != null && !line.isEmpty()) {
            sink.setProperty(HOOK_TIME, line);
        }
    }
}
