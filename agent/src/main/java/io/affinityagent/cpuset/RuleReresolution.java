package io.affinityagent.cpuset;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.CpuContext;
import io.affinityagent.config.CpuList;
import io.affinityagent.config.CpuListException;
import io.affinityagent.config.Rule;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * The config's CPU lists resolved again against the process's new cpuset: pure, no system call.
 * {@code all}, {@code +N}, {@code !N}, {@code node:} and {@code socket:} mean what they would
 * have meant had the JVM started in the new cpuset; CPUs named by number are kept where the new
 * set has them. A rule left with none gets the process's new CPUs and is reported, never dropped:
 * its workers must go somewhere, and the config was valid when it was loaded.
 */
public final class RuleReresolution {

    /** The config re-planned for the new cpuset, what changed rule by rule, and notes for the log. */
    public static final class Result {
        private final AgentConfig config;
        private final List<RuleChange> changes;
        private final List<String> notes;

        Result(AgentConfig config, List<RuleChange> changes, List<String> notes) {
            this.config = config;
            this.changes = List.copyOf(changes);
            this.notes = List.copyOf(notes);
        }

        public AgentConfig config() {
            return config;
        }

        /** One per rule, in the config's order, changed or not. */
        public List<RuleChange> changes() {
            return changes;
        }

        /** Warnings a load would have given (positions past the end, reserved CPUs gone). */
        public List<String> notes() {
            return notes;
        }
    }

    private RuleReresolution() {
    }

    /**
     * @param config the config the current plan was made with
     * @param now    the process's new CPUs, with their layout (asked for only when a rule needs it)
     */
    public static Result resolve(AgentConfig config, CpuContext now) {
        List<String> notes = new ArrayList<>();
        CpuSet allowed = now.allowed();
        CpuSet reserved = CpuSet.empty();
        CpuList reservedList = config.reservedList();
        if (reservedList != null) {
            try {
                reserved = reservedList.resolve(now).intersect(allowed);
            } catch (CpuListException e) {
                notes.add("reserved = " + reservedList + ": " + e.getMessage() + "; nothing is reserved now");
            }
        }
        List<Rule> rules = new ArrayList<>();
        List<RuleChange> changes = new ArrayList<>();
        for (Rule rule : config.rules()) {
            CpuSet cpus = null;
            String noCpu = null;
            CpuList list = rule.cpuList();
            if (list == null) {
                // A rule made in code with a set and no list: keep what is left of it.
                cpus = rule.cpus().intersect(allowed).minus(reserved);
                noCpu = cpus.isEmpty() ? "none of CPUs " + rule.cpus() + " is left" : null;
            } else {
                try {
                    List<String> positions = new ArrayList<>();
                    CpuSet requested = list.resolve(now, positions);
                    for (String p : positions) {
                        notes.add("rule " + rule.name() + ": " + p);
                    }
                    CpuSet available = requested.intersect(allowed);
                    cpus = available.minus(reserved);
                    if (requested.isEmpty() || available.isEmpty()) {
                        noCpu = "'" + list + "' names no CPU of " + allowed;
                    } else if (cpus.isEmpty()) {
                        noCpu = "every CPU it names (" + available + ") is reserved";
                    }
                } catch (CpuListException e) {
                    noCpu = e.getMessage();
                }
            }
            if (noCpu != null) {
                cpus = allowed;
            }
            rules.add(rule.withCpus(cpus));
            changes.add(new RuleChange(rule.name(), rule.cpus(), cpus, noCpu));
        }
        CpuTopology topology = config.usesTopology() ? now.topology() : null;
        return new Result(config.replannedFor(rules, allowed, reserved, topology), changes, notes);
    }
}
