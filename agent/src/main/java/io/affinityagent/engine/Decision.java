package io.affinityagent.engine;

/**
 * What the engine decided to do with one thread: pin it to a slot of a rule, keep it where this
 * plan put it, release it (its slot back, the process's CPUs back), reset the mask it inherited
 * from a pinned parent, or nothing. Immutable; every decision but a pin is a constant, and each
 * rule holds its own pin decision, so deciding allocates nothing.
 */
public final class Decision {

    /** The kinds of action the executor carries out. */
    public enum Kind { PIN, KEEP, RELEASE, RESET_INHERITED_MASK, NOTHING, HELD }

    public static final Decision KEEP = new Decision(Kind.KEEP, null);
    public static final Decision RELEASE = new Decision(Kind.RELEASE, null);
    public static final Decision RESET_INHERITED_MASK = new Decision(Kind.RESET_INHERITED_MASK, null);
    public static final Decision NOTHING = new Decision(Kind.NOTHING, null);

    /** Not a policy's decision but what a pin by {@code rule} came to: every CPU of its exclusive rule is held by another process. */
    static Decision held(Plan.RulePlacement rule) {
        return new Decision(Kind.HELD, rule);
    }

    private final Kind kind;
    private final Plan.RulePlacement rule;

    Decision(Kind kind, Plan.RulePlacement rule) {
        this.kind = kind;
        this.rule = rule;
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#PIN}: the rule whose placement gives the slot; for {@link Kind#HELD}, the rule that could not; null otherwise. */
    public Plan.RulePlacement rule() {
        return rule;
    }

    @Override
    public String toString() {
        return rule == null ? kind.name() : kind + " by rule " + rule.rule().name();
    }
}
