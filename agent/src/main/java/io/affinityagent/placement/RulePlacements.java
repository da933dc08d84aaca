package io.affinityagent.placement;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The placements of a config's rules, in rule order, made together: the engine's plan and
 * {@link PlanExplanation} both take them from here, so {@code check} shows what the agent does.
 *
 * <p>Rules whose CPUs overlap (on purpose with {@code share-cpus}, or by mistake, which is warned
 * about) count each other's workers through one {@link CpuLoads}: a rule keeps its own workers
 * balanced as ever, and among its least-loaded slots a worker goes first to a CPU the others'
 * workers leave free, and for {@code spread} and {@code per-core} to a core they leave free (no
 * other worker on either hardware thread); where none is, to the one with the fewest of theirs.
 * This is by live load: where the other rules' workers are
 * now, in this JVM. A {@code shared} rule's workers may run anywhere in its CPUs, so they are
 * counted nowhere and look at no one; rules that overlap no other rule pay nothing.
 */
public final class RulePlacements {

    private RulePlacements() {
    }

    /** A fresh placement per rule of {@code config}, in rule order. */
    public static List<Placement> of(AgentConfig config) {
        List<Rule> rules = config.rules();
        CpuSet overlap = overlap(rules);
        CpuLoads loads = overlap.isEmpty() ? null : new CpuLoads(everyCpu(config));
        List<Placement> out = new ArrayList<>(rules.size());
        for (Rule r : rules) {
            boolean topology = r.strategy().usesTopology();
            Placement p = Placement.forStrategy(r.strategy(), r.cpus(), topology ? config.topology() : null);
            if (loads != null && r.cpus().intersects(overlap) && p instanceof SlottedPlacement) {
                ((SlottedPlacement) p).countWith(loads, watch(r, p, topology ? config.topology() : null));
            }
            out.add(p);
        }
        return out;
    }

    /** The rules other than {@code rule} whose workers it counts: those sharing a CPU with it; empty when none. */
    public static List<Rule> countedBy(Rule rule, List<Rule> rules) {
        List<Rule> out = new ArrayList<>();
        if (!places(rule)) {
            return out;
        }
        for (Rule other : rules) {
            if (other != rule && places(other) && other.cpus().intersects(rule.cpus())) {
                out.add(other);
            }
        }
        return out;
    }

    /** The CPUs two or more rules place workers on one by one (rules of every strategy but {@code shared}). */
    static CpuSet overlap(List<Rule> rules) {
        CpuSet seen = CpuSet.empty();
        CpuSet twice = CpuSet.empty();
        for (Rule r : rules) {
            if (places(r)) {
                twice = twice.union(seen.intersect(r.cpus()));
                seen = seen.union(r.cpus());
            }
        }
        return twice;
    }

    private static boolean places(Rule r) {
        return r.strategy() != Strategy.SHARED;
    }

    /** For spread and per-core a slot weighs its whole core (a sibling another rule holds counts); else its CPU. */
    private static IntFunction<CpuSet> watch(Rule rule, Placement p, CpuTopology topology) {
        List<CpuSet> masks = p.slotMasks();
        boolean byCore = rule.strategy() == Strategy.SPREAD || rule.strategy() == Strategy.PER_CORE;
        return i -> {
            CpuTopology.Core core = byCore ? topology.coreOf(masks.get(i).first()) : null;
            return core == null ? masks.get(i) : core.cpus();
        };
    }

    /** Every CPU a rule or the layout names, so a sibling outside a rule's CPUs is counted too. */
    private static CpuSet everyCpu(AgentConfig config) {
        CpuSet all = CpuSet.empty();
        for (Rule r : config.rules()) {
            all = all.union(r.cpus());
            if (r.strategy().usesTopology()) {
                all = all.union(config.topology().cpus());
            }
        }
        return all;
    }
}
