package io.affinityagent.agent;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.Rule;
import io.affinityagent.cpu.CpuTopology;
import io.affinityagent.log.AgentLog;

/** The start-up summary of a plan: the layout and reserved CPUs if the config uses them, one line per rule. */
final class PlanLines {

    private PlanLines() {
    }

    static void log(AgentLog log, AgentConfig config) {
        if (config.usesTopology()) {
            log.info("topology: " + config.topology().summary() + " (from " + config.topology().source() + ")");
        }
        if (!config.reserved().isEmpty()) {
            log.info("reserved: CPU" + (config.reserved().size() > 1 ? "s " : " ") + config.reserved()
                    + " (no rule uses them)");
        }
        for (Rule r : config.rules()) {
            log.info("rule " + r.name() + " (" + r.selectorText() + "): CPUs " + r.cpus() + ", "
                    + r.strategy().configName() + layoutOf(r, config));
        }
    }

    /** For a strategy that uses the layout: {@code  over 2 cores on 1 socket}. */
    private static String layoutOf(Rule r, AgentConfig config) {
        if (!r.strategy().usesTopology()) {
            return "";
        }
        CpuTopology within = config.topology().restrictTo(r.cpus());
        int cores = within.cores().size();
        int sockets = within.sockets().length;
        return " over " + cores + (cores == 1 ? " core" : " cores") + " on " + sockets
                + (sockets == 1 ? " socket" : " sockets");
    }
}
