package io.affinityagent.advice;

import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.config.ThreadNameGlob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which running threads each rule of a config would take (the first matching rule wins, as in
 * the agent), and for a rule that takes none, the nearest real threads and what would make the
 * rule match them: add {@code pool = any-thread}, another pool kind, a glob that fits the names,
 * or the news that a class is no java.util.concurrent pool. Pure: threads in, advice out, used by
 * {@code check --pid} and by the agent when a rule matches nothing.
 */
public final class RuleAdvisor {

    /** How many near threads a rule that matches nothing is told about. */
    public static final int NEAREST = 3;

    /** Whether a rule matches a thread; MAYBE when only the pool's exact class could tell. */
    public enum Match { YES, NO, MAYBE }

    /** A near thread and what would make the rule match it. */
    public static final class Hint {
        private final SeenThread thread;
        private final String fix;

        Hint(SeenThread thread, String fix) {
            this.thread = thread;
            this.fix = fix;
        }

        public SeenThread thread() {
            return thread;
        }

        public String fix() {
            return fix;
        }
    }

    /** What one rule would do to the running threads. */
    public static final class RuleReport {
        private final Rule rule;
        private final List<SeenThread> matched = new ArrayList<>();
        private final List<SeenThread> maybe = new ArrayList<>();
        /** Threads the rule matches that an earlier rule takes, with that rule's name. */
        private final Map<String, Integer> takenBy = new LinkedHashMap<>();
        private final List<Hint> hints = new ArrayList<>();
        private int threadsSeen;

        RuleReport(Rule rule) {
            this.rule = rule;
        }

        public Rule rule() {
            return rule;
        }

        /** The threads this rule takes. */
        public List<SeenThread> matched() {
            return matched;
        }

        /** Threads it takes if their pool is of the rule's pool-class (which a thread dump does not show). */
        public List<SeenThread> maybe() {
            return maybe;
        }

        /** Rules earlier in the order that take threads this one matches, and how many. */
        public Map<String, Integer> takenBy() {
            return takenBy;
        }

        /** For a rule that takes nothing: the nearest threads and the fix for each. */
        public List<Hint> hints() {
            return hints;
        }

        public boolean matchesNothing() {
            return matched.isEmpty() && maybe.isEmpty();
        }

        /**
         * The lines that say it: "rule web takes 10 threads: http-nio-8080-exec-1, ..." or
         * "rule web matches none of the 42 threads" with a line per hint.
         */
        public List<String> explain() {
            List<String> lines = new ArrayList<>();
            String head = "rule " + rule.name() + " (" + rule.selectorText() + ")";
            if (!matched.isEmpty() || !maybe.isEmpty()) {
                StringBuilder sb = new StringBuilder(head);
                if (matched.isEmpty()) {
                    sb.append(" may take ").append(count(maybe.size(), "thread")).append(" (if their pool is a ")
                            .append(rule.poolClass()).append(", which a thread dump does not show): ")
                            .append(names(maybe, 6));
                } else {
                    sb.append(" takes ").append(count(matched.size(), "thread")).append(": ").append(names(matched, 6));
                    if (!maybe.isEmpty()) {
                        sb.append("; and maybe ").append(maybe.size()).append(" more (if their pool is a ")
                                .append(rule.poolClass()).append(')');
                    }
                }
                lines.add(sb.toString());
                return lines;
            }
            if (!takenBy.isEmpty()) {
                StringBuilder sb = new StringBuilder(head).append(" takes no thread: the threads it matches are taken by"
                        + " earlier rules (");
                boolean first = true;
                for (Map.Entry<String, Integer> e : takenBy.entrySet()) {
                    sb.append(first ? "" : ", ").append(e.getKey()).append(": ").append(e.getValue());
                    first = false;
                }
                lines.add(sb.append("); move it before them in 'rules', or narrow them").toString());
                return lines;
            }
            lines.add(head + " matches none of the " + count(threadsSeen, "running thread")
                    + (hints.isEmpty() ? "" : "; nearest:"));
            for (Hint h : hints) {
                lines.add("  " + h.thread.describe() + ": " + h.fix);
            }
            return lines;
        }
    }

    private RuleAdvisor() {
    }

    /** Each rule, in order, against every thread: what it takes, and hints for one that takes nothing. */
    public static List<RuleReport> advise(List<Rule> rules, List<SeenThread> threads) {
        List<RuleReport> reports = new ArrayList<>();
        for (Rule r : rules) {
            RuleReport report = new RuleReport(r);
            report.threadsSeen = threads.size();
            reports.add(report);
        }
        for (SeenThread t : threads) {
            RuleReport taker = null;
            for (RuleReport report : reports) {
                Match m = matches(report.rule, t);
                if (m == Match.NO) {
                    continue;
                }
                if (taker != null) {
                    report.takenBy.merge(taker.rule.name(), 1, Integer::sum);
                } else if (m == Match.YES) {
                    report.matched.add(t);
                    taker = report;
                } else {
                    report.maybe.add(t);
                }
            }
        }
        // A class whose code plain threads run is certainly no j.u.c. pool: no "maybe" for it.
        Set<String> notPools = new java.util.HashSet<>();
        for (SeenThread t : threads) {
            if (t.poolClass() != null && (t.kind() == ThreadKind.PLAIN_THREAD || t.kind() == ThreadKind.THREAD_SUBCLASS)) {
                notPools.add(t.poolClass());
            }
        }
        for (RuleReport report : reports) {
            if (report.rule.poolClass() != null && notPools.contains(report.rule.poolClass())) {
                report.maybe.clear();
            }
            if (report.matchesNothing() && report.takenBy.isEmpty()) {
                report.hints.addAll(hints(report.rule, threads));
            }
        }
        return reports;
    }

    /** As {@link Rule#matches}, for a thread known by its names rather than its classes. */
    public static Match matches(Rule rule, SeenThread t) {
        PoolKind kind = t.kind().poolKind();
        if (kind == null || !kindMatches(rule, kind)) {
            return Match.NO;
        }
        if (rule.threadName() != null && !rule.threadName().matches(t.name())) {
            return Match.NO;
        }
        return classMatch(rule, t);
    }

    private static boolean kindMatches(Rule rule, PoolKind kind) {
        return rule.pool() == null ? kind != PoolKind.ANY_THREAD : rule.pool() == kind;
    }

    private static Match classMatch(Rule rule, SeenThread t) {
        String wanted = rule.poolClass();
        if (wanted == null) {
            return Match.YES;
        }
        if (t.poolClass() == null) {
            return Match.MAYBE;
        }
        if (wanted.equals(t.poolClass()) || wanted.equals(baseClass(t.kind()))) {
            return Match.YES;
        }
        return t.poolClassExact() ? Match.NO : Match.MAYBE;
    }

    /** The class every pool of this kind is (or extends). */
    private static String baseClass(ThreadKind kind) {
        switch (kind) {
            case THREAD_POOL:
                return "java.util.concurrent.ThreadPoolExecutor";
            case FORK_JOIN:
            case COMMON_POOL:
            case VIRTUAL_SCHEDULER:
                return "java.util.concurrent.ForkJoinPool";
            default:
                return null;
        }
    }

    private static List<Hint> hints(Rule rule, List<SeenThread> threads) {
        List<Hint> out = new ArrayList<>();
        // A pool-class that is the code of plain threads (Tomcat's own ThreadPoolExecutor copy,
        // Jetty's QueuedThreadPool): the most common surprise, said first.
        if (rule.poolClass() != null) {
            for (SeenThread t : threads) {
                if (t.kind() == ThreadKind.PLAIN_THREAD && rule.poolClass().equals(t.poolClass())) {
                    out.add(new Hint(t, rule.poolClass() + " is not a java.util.concurrent pool: its threads are plain"
                            + " threads; match them with thread-name = " + suggestGlob(t.name()) + " and pool ="
                            + " any-thread (without pool-class)"));
                    return out;
                }
            }
        }
        ThreadNameGlob glob = rule.threadName();
        // Nearest first: fewest edits for the glob to match the name; then threads a rule can pin.
        List<SeenThread> sorted = new ArrayList<>(threads);
        final int[] edits = new int[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            edits[i] = glob == null ? 0 : glob.editsToMatch(sorted.get(i).name());
        }
        Integer[] order = new Integer[sorted.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            if (edits[a] != edits[b]) {
                return Integer.compare(edits[a], edits[b]);
            }
            boolean pa = sorted.get(a).kind().poolKind() != null;
            boolean pb = sorted.get(b).kind().poolKind() != null;
            return pa == pb ? Integer.compare(a, b) : pa ? -1 : 1;
        });
        Set<String> fixes = new LinkedHashSet<>();
        for (Integer i : order) {
            if (out.size() == NEAREST) {
                break;
            }
            if (edits[i] > 0 && edits[order[0]] == 0) {
                break; // names the glob matches are the hint; others would be noise
            }
            SeenThread t = sorted.get(i);
            if (glob == null && t.kind().poolKind() == null) {
                continue; // a rule by pool or class alone: the JVM's own threads are no hint
            }
            String fix = fix(rule, t, edits[i]);
            // Ten exec threads need one hint, not ten: one per distinct fix and name shape.
            if (fixes.add(suggestGlob(t.name()) + "|" + fix)) {
                out.add(new Hint(t, fix));
            }
        }
        return out;
    }

    private static String fix(Rule rule, SeenThread t, int edits) {
        PoolKind kind = t.kind().poolKind();
        List<String> changes = new ArrayList<>();
        if (edits > 0) {
            changes.add("its name is " + count(edits, "edit") + " from the glob; a glob for it: thread-name = "
                    + suggestGlob(t.name()));
        }
        if (kind == null) {
            changes.add("it is " + t.kind().description() + ": no rule can pin it");
        } else if (!kindMatches(rule, kind)) {
            if (kind == PoolKind.ANY_THREAD) {
                changes.add("add pool = any-thread (a rule without it matches only pool workers"
                        + (t.poolClass() != null ? "; " + t.poolClass() + " is no java.util.concurrent pool" : "") + ")");
            } else if (rule.pool() == PoolKind.ANY_THREAD) {
                changes.add("it is a pool worker, which any-thread rules never match: say pool = "
                        + kind.configName() + ", or leave pool out");
            } else {
                changes.add("it is " + t.kind().description() + ": say pool = " + kind.configName()
                        + ", or leave pool out");
            }
        } else if (edits == 0 && classMatch(rule, t) == Match.NO) {
            changes.add("its pool is " + t.poolClass() + ", not " + rule.poolClass());
        }
        if (changes.isEmpty()) {
            return "matches";
        }
        return String.join("; ", changes);
    }

    /**
     * A glob for names like this one: digit runs become {@code *}, and a separator between two
     * of them goes ("http-nio-127.0.0.1-8080-exec-1" gives "http-nio-*-exec-*").
     */
    public static String suggestGlob(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= '0' && c <= '9') {
                if (sb.length() == 0 || sb.charAt(sb.length() - 1) != '*') {
                    sb.append('*');
                }
            } else if (c == '*' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}' || c == ',' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        String s = sb.toString();
        String previous;
        do {
            previous = s;
            s = s.replace("*-*", "*").replace("*.*", "*").replace("*_*", "*").replace("*:*", "*");
        } while (!s.equals(previous));
        return s;
    }

    private static String names(List<SeenThread> threads, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < threads.size() && i < max; i++) {
            sb.append(i > 0 ? ", " : "").append(threads.get(i).name());
        }
        if (threads.size() > max) {
            sb.append(", and ").append(threads.size() - max).append(" more");
        }
        return sb.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
