package io.affinityagent.placement;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * The one explanation of a plan, for every place that says what a config does: the agent's
 * start-up lines, {@code check}'s rule table and its worker-by-worker lines, and the demo's check
 * of where its workers ended up. Which rule a worker gets, what each worker of a rule gets, and
 * which masks a rule hands out all come from the rule's own placement, run on a fresh copy (no
 * thread, no system call), so they say exactly what the agent does.
 *
 * <pre>
 * topology: 2 sockets, 2 NUMA nodes, 64 cores, 128 CPUs (from /etc/affinity/server.topology)
 * rule orders (thread-name=order-*): spread over CPUs 0-127 (64 cores on 2 sockets)
 *   worker 1 -> CPU 0      core 0,64    socket 0  node 0
 *   worker 2 -> CPU 32     core 32,96   socket 1  node 1
 * </pre>
 */
public final class PlanExplanation {

    private final AgentConfig config;

    public PlanExplanation(AgentConfig config) {
        this.config = config;
    }

    public AgentConfig config() {
        return config;
    }

    /** The first rule, in config order, that matches a worker; null when none does (the agent leaves it alone). */
    public Rule ruleOf(String threadName, PoolKind kind, Class<?> poolType) {
        for (Rule r : config.rules()) {
            if (r.matches(threadName, kind, poolType)) {
                return r;
            }
        }
        return null;
    }

    /** Whether {@code mask} is one the rule hands a worker: its CPUs (shared), or one of its slots. */
    public boolean hands(Rule rule, CpuSet mask) {
        if (rule.strategy() == Strategy.SHARED) {
            return mask.equals(rule.cpus());
        }
        return placement(rule).slotMasks().contains(mask);
    }

    /** What one worker of the rule gets, in words: {@code one CPU of 2-3, the least loaded}. */
    public String eachWorkerGets(Rule rule) {
        CpuSet cpus = rule.cpus();
        if (rule.strategy() == Strategy.SHARED) {
            return cpus.size() == 1 ? "CPU " + cpus : "all of CPUs " + cpus;
        }
        List<CpuSet> slots = placement(rule).slotMasks();
        if (slots.size() == 1) {
            return (slots.get(0).size() == 1 ? "CPU " : "CPUs ") + slots.get(0);
        }
        switch (rule.strategy()) {
            case PER_CORE:
                return "the CPUs of one core of " + cpus + " (first: " + slots.get(0) + ")";
            case SPREAD:
                return "one CPU of " + cpus + ", one core each first, across sockets";
            case COMPACT:
                return "one CPU of " + cpus + ", filling each core, then the next";
            default:
                return "one CPU of " + cpus + ", the least loaded";
        }
    }

    /** The lines the agent logs when it starts with this plan. */
    public List<String> summaryLines() {
        List<String> out = headerLines(config.usesTopology());
        for (Rule r : config.rules()) {
            out.add("rule " + r.name() + " (" + r.selectorText() + "): CPUs " + r.cpus() + ", " + r.strategy().configName()
                    + coresOf(r));
        }
        return out;
    }

    /** For a strategy that uses the layout: {@code  over 2 cores on 1 socket}. */
    private String coresOf(Rule r) {
        if (!r.strategy().usesTopology()) {
            return "";
        }
        CpuTopology within = config.topology().restrictTo(r.cpus());
        int cores = within.cores().size();
        int sockets = within.sockets().length;
        return " over " + cores + (cores == 1 ? " core" : " cores") + " on " + sockets
                + (sockets == 1 ? " socket" : " sockets");
    }

    /** The layout (when it says something) and the reserved CPUs. */
    private List<String> headerLines(boolean withTopology) {
        List<String> out = new ArrayList<>();
        CpuTopology topology = config.topology();
        if (withTopology) {
            out.add("topology: " + topology.summary() + " (from " + topology.source() + ")");
        }
        if (!config.reserved().isEmpty()) {
            out.add("reserved: CPU" + (config.reserved().size() > 1 ? "s " : " ") + config.reserved() + " (no rule uses them)");
        }
        return out;
    }

    private Placement placement(Rule rule) {
        return Placement.forStrategy(rule.strategy(), rule.cpus(), rule.strategy().usesTopology() ? config.topology() : null);
    }

    /** The masks the first {@code workers} workers of a rule get, in the order they start. */
    public List<CpuSet> placements(Rule rule, int workers) {
        Placement placement = placement(rule);
        List<CpuSet> out = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            out.add(placement.acquire().mask());
        }
        return out;
    }

    /** How many workers a rule takes before one has to share its CPU (or core) with another. */
    public int slots(Rule rule) {
        return placement(rule).slotMasks().size();
    }

    /**
     * The whole preview as lines.
     *
     * @param workersPerRule how many workers to show per rule; 0 or less shows one per slot
     *                       (a full round: every CPU, or every core for per-core, once)
     */
    public List<String> lines(int workersPerRule) {
        List<String> out = headerLines(config.topology().fromHardware());
        for (Rule rule : config.rules()) {
            out.add("rule " + rule.name() + " (" + rule.selectorText() + "): " + rule.strategy().configName() + " over CPUs "
                    + rule.cpus() + layoutOf(rule.cpus()));
            if (rule.strategy() == Strategy.SHARED) {
                out.add("  every worker -> CPUs " + rule.cpus());
                continue;
            }
            int slots = slots(rule);
            int shown = workersPerRule > 0 ? workersPerRule : slots;
            List<CpuSet> masks = placements(rule, shown);
            int width = Integer.toString(shown).length();
            for (int i = 0; i < masks.size(); i++) {
                out.add("  worker " + pad(Integer.toString(i + 1), width, false) + " -> " + describe(masks.get(i)));
            }
            if (shown < slots) {
                out.add("  ... " + (slots - shown) + " more " + (rule.strategy() == Strategy.PER_CORE ? "cores" : "CPUs")
                        + " before two workers share one");
            }
        }
        return out;
    }

    /** {@code CPU 32     core 32,96   socket 1  node 1}, or just the CPUs when the layout is unknown. */
    private String describe(CpuSet mask) {
        String cpus = (mask.size() > 1 ? "CPUs " : "CPU ") + mask;
        CpuTopology topology = config.topology();
        CpuTopology.Core core = topology.coreOf(mask.first());
        if (!topology.fromHardware() || core == null || !core.cpus().containsAll(mask)) {
            return cpus;
        }
        return pad(cpus, 10, true) + " core " + pad(core.cpus().toString(), 10, true) + " socket " + core.socket()
                + "  node " + core.node();
    }

    /** {@code  (64 cores on 2 sockets)}, or nothing when the layout is unknown. */
    private String layoutOf(CpuSet cpus) {
        CpuTopology topology = config.topology();
        if (!topology.fromHardware()) {
            return "";
        }
        CpuTopology within = topology.restrictTo(cpus);
        int cores = within.cores().size();
        int sockets = within.sockets().length;
        int nodes = within.nodes().length;
        return " (" + cores + (cores == 1 ? " core" : " cores") + " on " + sockets + (sockets == 1 ? " socket" : " sockets")
                + (nodes != sockets ? ", " + nodes + (nodes == 1 ? " NUMA node" : " NUMA nodes") : "") + ")";
    }

    private static String pad(String s, int width, boolean right) {
        StringBuilder sb = new StringBuilder(width);
        if (!right) {
            for (int i = s.length(); i < width; i++) {
                sb.append(' ');
            }
        }
        sb.append(s);
        if (right) {
            for (int i = s.length(); i < width; i++) {
                sb.append(' ');
            }
        }
        return sb.toString();
    }
}
