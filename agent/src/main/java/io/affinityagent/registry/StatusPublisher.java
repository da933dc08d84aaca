package io.affinityagent.registry;

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
 * affinity-agent.config             /etc/affinity.properties
 * affinity-agent.rules              orders,batch          (in match order)
 * affinity-agent.rule.NAME          cpus=2-3 strategy=round-robin loads=1,1 matched=2 pinned=2 failed=0 exited=0
 * affinity-agent.thread.TID         NAME CPUS             (a live worker the agent pinned)
 * affinity-agent.inherited-masks-reset  3                 (threads started by a pinned thread, matched by
 *                                                          no rule, given the process's CPUs back)
 * </pre>
 * Updated on worker start and exit only; nothing is computed on a task path.
 */
public final class StatusPublisher {

    public static final String PREFIX = "affinity-agent.";
    public static final String VERSION = PREFIX + "version";
    public static final String CONFIG = PREFIX + "config";
    public static final String RULES = PREFIX + "rules";
    public static final String RULE = PREFIX + "rule.";
    public static final String THREAD = PREFIX + "thread.";
    public static final String INHERITED_MASKS_RESET = PREFIX + "inherited-masks-reset";

    private final Properties sink;

    public StatusPublisher(Properties sink) {
        this.sink = sink;
    }

    /** A publisher that writes nowhere (when the JVM's agent properties cannot be reached). */
    public static StatusPublisher none() {
        return new StatusPublisher(null);
    }

    /** Replaces everything published with a new plan: version, config, rules. */
    public synchronized void planChanged(String version, String config, List<Rule> rules) {
        if (sink == null) {
            return;
        }
        for (Object key : sink.keySet().toArray()) {
            String k = String.valueOf(key);
            if (k.startsWith(PREFIX)) {
                sink.remove(k);
            }
        }
        if (rules == null) {
            return; // detached: nothing is published
        }
        sink.setProperty(VERSION, version);
        sink.setProperty(CONFIG, config);
        StringBuilder names = new StringBuilder();
        for (Rule r : rules) {
            names.append(names.length() > 0 ? "," : "").append(r.name());
        }
        sink.setProperty(RULES, names.toString());
    }

    /** The rule's current loads and counters. */
    public void ruleChanged(Rule rule, Placement placement, RuleCounters counters) {
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
            sink.setProperty(THREAD + record.nativeThreadId(), record.rule().name() + " " + record.slot().mask());
        }
    }

    /** How many threads got the process's CPUs back after inheriting a pinned mask. */
    public void inheritedMasksReset(long count) {
        if (sink != null) {
            sink.setProperty(INHERITED_MASKS_RESET, Long.toString(count));
        }
    }

    public void workerExited(WorkerRecord record) {
        if (sink != null && record.nativeThreadId() > 0) {
            sink.remove(THREAD + record.nativeThreadId());
        }
    }
}
