package io.affinityagent.engine;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.hostlock.ExclusivePlacement;
import io.affinityagent.hostlock.HostCpuLocks;
import io.affinityagent.placement.Placement;
import io.affinityagent.placement.RulePlacements;
import java.util.ArrayList;
import java.util.List;

/** A config made live: each rule with the placement that hands out its CPUs. */
public final class Plan {

    /** A rule and its placement, shared by every pool the rule matches. */
    public static final class RulePlacement {
        private final Rule rule;
        private final Placement placement;
        /** Made once, so that deciding to pin a worker allocates nothing. */
        private final Decision pin;

        RulePlacement(Rule rule, Placement placement) {
            this.rule = rule;
            this.placement = placement;
            this.pin = new Decision(Decision.Kind.PIN, this);
        }

        Decision pinDecision() {
            return pin;
        }

        public Rule rule() {
            return rule;
        }

        public Placement placement() {
            return placement;
        }
    }

    private final AgentConfig config;
    private final List<RulePlacement> rules;
    /** The same, for the look-ups of a thread's start: an array walk allocates no iterator. */
    private final RulePlacement[] inOrder;
    /** Asked on every thread start: kept, so the asking walks no list. */
    private final boolean anyThreadRules;

    private Plan(AgentConfig config, List<RulePlacement> rules) {
        this.config = config;
        this.rules = List.copyOf(rules);
        this.inOrder = rules.toArray(new RulePlacement[0]);
        this.anyThreadRules = config.hasAnyThreadRules();
    }

    public static Plan of(AgentConfig config) {
        return of(config, null);
    }

    /**
     * @param hostLocks the host-wide CPU locks for {@code exclusive} rules; null when no rule is
     *                  exclusive (then such a rule places as if it were not, which only tests do)
     */
    public static Plan of(AgentConfig config, HostCpuLocks hostLocks) {
        List<RulePlacement> rules = new ArrayList<>();
        // Made together, so that rules whose CPUs overlap count each other's workers.
        List<Placement> placements = RulePlacements.of(config);
        for (int i = 0; i < placements.size(); i++) {
            Rule r = config.rules().get(i);
            Placement p = placements.get(i);
            // The CPU-available check: an exclusive rule places only on CPUs no other process holds.
            rules.add(new RulePlacement(r, r.exclusive() && hostLocks != null ? new ExclusivePlacement(p, hostLocks, r) : p));
        }
        return new Plan(config, rules);
    }

    public AgentConfig config() {
        return config;
    }

    public List<RulePlacement> rules() {
        return rules;
    }

    /** The first rule, in config order, that matches the worker; null when none does. */
    public RulePlacement match(String threadName, PoolKind kind, Class<?> poolType) {
        for (RulePlacement rp : inOrder) {
            if (rp.rule.matches(threadName, kind, poolType)) {
                return rp;
            }
        }
        return null;
    }

    /** Whether some rule matches plain threads by name ({@code pool = any-thread}): the config's answer. */
    public boolean hasAnyThreadRules() {
        return anyThreadRules;
    }

    /** Whether the placement is one of this plan's (a worker placed by an earlier plan is not). */
    public boolean owns(Placement placement) {
        for (RulePlacement rp : inOrder) {
            if (rp.placement == placement) {
                return true;
            }
        }
        return false;
    }

    public RulePlacement rule(String name) {
        for (RulePlacement rp : rules) {
            if (rp.rule.name().equals(name)) {
                return rp;
            }
        }
        return null;
    }
}
