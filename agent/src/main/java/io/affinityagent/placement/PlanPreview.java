package io.affinityagent.placement;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the first workers of each rule would go, worker by worker, on the machine a config was
 * resolved for: what {@code check} prints. Pure: it runs each rule's placement on a fresh copy,
 * with no thread and no system call, so the preview is exactly what the agent would do for
 * workers that start one after the other and do not exit.
 *
 * <pre>
 * topology: 2 sockets, 2 NUMA nodes, 64 cores, 128 CPUs (from /etc/affinity/server.topology)
 * rule orders (thread-name=order-*): spread over CPUs 0-127 (64 cores on 2 sockets)
 *   worker 1 -> CPU 0      core 0,64    socket 0  node 0
 *   worker 2 -> CPU 32     core 32,96   socket 1  node 1
 * </pre>
 */
public final class PlanPreview {

    private final AgentConfig config;

    public PlanPreview(AgentConfig config) {
        this.config = config;
    }

    public AgentConfig config() {
        return config;
    }

    /** The masks the first {@code workers} workers of a rule get, in the order they start. */
    public List<CpuSet> placements(Rule rule, int workers) {
        Placement placement = Placement.forStrategy(rule.strategy(), rule.cpus(), config.topology());
        List<CpuSet> out = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            out.add(placement.acquire().mask());
        }
        return out;
    }

    /** How many workers a rule takes before one has to share its CPU (or core) with another. */
    public int slots(Rule rule) {
        return Placement.forStrategy(rule.strategy(), rule.cpus(), config.topology()).slotMasks().size();
    }

    /**
     * What each worker of a rule gets, in words: the one explanation that check's rule table
     * prints and its worker lines show, read from the placement's own slots (so a per-core rule
     * says a core, never a CPU).
     */
    public String eachWorkerGets(Rule rule) {
        if (rule.strategy() == Strategy.SHARED) {
            return rule.cpus().size() == 1 ? "CPU " + rule.cpus() : "all of CPUs " + rule.cpus();
        }
        List<CpuSet> slots = Placement.forStrategy(rule.strategy(), rule.cpus(), config.topology()).slotMasks();
        boolean singleCpus = true;
        for (CpuSet slot : slots) {
            singleCpus &= slot.size() == 1;
        }
        if (slots.size() == 1) {
            return (singleCpus ? "CPU " : "CPUs ") + slots.get(0);
        }
        String unit = singleCpus ? "one CPU of " + rule.cpus() : "one core of " + rule.cpus() + " (all its CPUs in the rule)";
        switch (rule.strategy()) {
            case SPREAD:
                return unit + ", the least loaded: a core each first, across sockets, then their second hardware threads";
            case COMPACT:
                return unit + ", the least loaded: a core's hardware threads filled before the next core";
            default:
                return unit + ", the least loaded";
        }
    }

    /**
     * The whole preview as lines.
     *
     * @param workersPerRule how many workers to show per rule; 0 or less shows one per slot
     *                       (a full round: every CPU, or every core for per-core, once)
     */
    public List<String> lines(int workersPerRule) {
        List<String> out = new ArrayList<>();
        CpuTopology topology = config.topology();
        if (topology.fromHardware()) {
            out.add("topology: " + topology.summary() + " (from " + topology.source() + ")");
        }
        if (!config.reserved().isEmpty()) {
            out.add("reserved: CPU" + (config.reserved().size() > 1 ? "s " : " ") + config.reserved() + " (no rule uses them)");
        }
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
