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
 * which masks a rule hands out all come from the placements the engine's plan uses
 * ({@link RulePlacements}), run on fresh copies (no thread, no system call), so they say exactly
 * what the agent does. Rules whose CPUs overlap see each other's workers, so the worker lines are
 * for workers starting rule after rule, in config order: each rule's first {@code workersPerRule}
 * (or one full round), with the rules above it holding theirs.
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
    /** Workers shown per rule; 0 or less: one full round (every CPU of the rule, or every core for per-core, once). */
    private final int workersPerRule;

    public PlanExplanation(AgentConfig config) {
        this(config, 0);
    }

    /** @param workersPerRule how many workers each rule starts in the worker lines; 0 or less: one full round */
    public PlanExplanation(AgentConfig config, int workersPerRule) {
        this.config = config;
        this.workersPerRule = workersPerRule;
    }

    /** The same plan, its worker lines (and the words that depend on them) for {@code workers} workers per rule. */
    public PlanExplanation withWorkers(int workers) {
        return new PlanExplanation(config, workers);
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
        return ownOrder(rule) + besideOthers(rule);
    }

    /** The strategy's own order, in words; per-core's first core is worker 1's of the worker lines. */
    private String ownOrder(Rule rule) {
        CpuSet cpus = rule.cpus();
        switch (rule.strategy()) {
            case PER_CORE:
                return "the CPUs of one core of " + cpus + " (first: " + placements(rule, 1).get(0) + ")";
            case SPREAD:
                return "one CPU of " + cpus + ", one core each first, across sockets";
            case COMPACT:
                return "one CPU of " + cpus + ", filling each core, then the next";
            default:
                return "one CPU of " + cpus + ", the least loaded";
        }
    }

    /** {@code ; cores no worker of events holds first}, for a rule that shares CPUs with others; else nothing. */
    private String besideOthers(Rule rule) {
        List<Rule> others = RulePlacements.countedBy(rule, config.rules());
        if (others.isEmpty()) {
            return "";
        }
        boolean byCore = rule.strategy() == Strategy.SPREAD || rule.strategy() == Strategy.PER_CORE;
        return "; " + (byCore ? "cores" : "CPUs") + " no worker of " + names(others) + " holds first";
    }

    private static String names(List<Rule> rules) {
        StringBuilder sb = new StringBuilder();
        for (Rule r : rules) {
            sb.append(sb.length() > 0 ? ", " : "").append(r.name());
        }
        return sb.toString();
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
        return RulePlacements.of(config).get(config.rules().indexOf(rule));
    }

    /**
     * The masks the first {@code workers} workers of a rule get, in the order they start, once the
     * rules above it have started theirs (as many as the worker lines show): what the engine's
     * placements do for that order.
     */
    public List<CpuSet> placements(Rule rule, int workers) {
        List<Placement> placements = RulePlacements.of(config);
        List<Rule> rules = config.rules();
        int index = rules.indexOf(rule);
        for (int r = 0; r < index; r++) {
            Placement above = placements.get(r);
            for (int i = shown(rules.get(r)); i > 0; i--) {
                above.acquire();
            }
        }
        Placement placement = placements.get(index);
        List<CpuSet> out = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            out.add(placement.acquire().mask());
        }
        return out;
    }

    /** How many workers of the rule the worker lines show. */
    public int shown(Rule rule) {
        return workersPerRule > 0 ? workersPerRule : slots(rule);
    }

    /** How many workers a rule takes before one has to share its CPU (or core) with another. */
    public int slots(Rule rule) {
        return placement(rule).slotMasks().size();
    }

    /** The whole preview as lines: each rule's workers as they start, rule after rule in config order. */
    public List<String> lines() {
        List<String> out = headerLines(config.topology().fromHardware());
        for (Rule rule : config.rules()) {
            List<Rule> others = RulePlacements.countedBy(rule, config.rules());
            out.add("rule " + rule.name() + " (" + rule.selectorText() + "): " + rule.strategy().configName() + " over CPUs "
                    + rule.cpus() + layoutOf(rule.cpus()) + (others.isEmpty() ? "" : "; shares CPUs with " + names(others)));
            if (rule.strategy() == Strategy.SHARED) {
                out.add("  every worker -> CPUs " + rule.cpus());
                continue;
            }
            int slots = slots(rule);
            int shown = shown(rule);
            List<CpuSet> masks = placements(rule, shown);
            int width = Integer.toString(shown).length();
            for (int i = 0; i < masks.size(); i++) {
                out.add("  worker " + pad(Integer.toString(i + 1), width, false) + " -> " + describe(masks.get(i)));
            }
            if (shown < slots) {
                int more = slots - shown;
                out.add("  ... " + more + " more " + (rule.strategy() == Strategy.PER_CORE ? "core" : "CPU") + (more == 1 ? "" : "s")
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
