package io.affinityagent.config;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU-list grammar: the kernel's list syntax ({@code 0-3,8,10-15:2}, a stride after the
 * colon) plus {@code all} (every CPU the process may use), {@code +N} / {@code +A-B}
 * (positions within the process's allowed CPUs, as numactl's {@code +N}), {@code node:N} and
 * {@code socket:N} (the CPUs of a NUMA node or a socket that the process may use; ranges too:
 * {@code node:0-1}), and exclusions with {@code !} ({@code all,!0}, {@code all,!socket:1}).
 * A parsed list is resolved against a {@link CpuContext}.
 */
public final class CpuList {

    private enum Kind { ABSOLUTE, POSITION, ALL, NODE, SOCKET }

    private static final String NODE_PREFIX = "node:";
    private static final String SOCKET_PREFIX = "socket:";

    private static final class Term {
        final boolean excluded;
        final Kind kind;
        final int first;
        final int last;
        final int stride;

        Term(boolean excluded, Kind kind, int first, int last, int stride) {
            this.excluded = excluded;
            this.kind = kind;
            this.first = first;
            this.last = last;
            this.stride = stride;
        }
    }

    private final String text;
    private final List<Term> terms;

    private CpuList(String text, List<Term> terms) {
        this.text = text;
        this.terms = terms;
    }

    public String text() {
        return text;
    }

    /** True when the list names a NUMA node or a socket, so resolving it needs the topology. */
    public boolean usesTopology() {
        for (Term t : terms) {
            if (t.kind == Kind.NODE || t.kind == Kind.SOCKET) {
                return true;
            }
        }
        return false;
    }

    /** True when the list names concrete CPU ids only (no {@code all}, no positions). */
    public boolean isAbsolute() {
        for (Term t : terms) {
            if (t.kind != Kind.ABSOLUTE) {
                return false;
            }
        }
        return true;
    }

    public static CpuList parse(String text) throws CpuListException {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new CpuListException("a CPU list is empty; expected for example 0-3,8,10-15:2");
        }
        List<Term> terms = new ArrayList<>();
        boolean anyIncluded = false;
        for (String raw : s.split(",", -1)) {
            String item = raw.trim();
            if (item.isEmpty()) {
                throw new CpuListException("'" + s + "' has an empty item between commas");
            }
            Term t = parseTerm(item, s);
            anyIncluded |= !t.excluded;
            terms.add(t);
        }
        if (!anyIncluded) {
            throw new CpuListException("'" + s + "' only excludes CPUs; start from a set, e.g. all," + s);
        }
        return new CpuList(s, List.copyOf(terms));
    }

    private static Term parseTerm(String item, String whole) throws CpuListException {
        boolean excluded = item.startsWith("!");
        String body = excluded ? item.substring(1).trim() : item;
        if (body.equals("all")) {
            return new Term(excluded, Kind.ALL, 0, 0, 1);
        }
        Kind kind = Kind.ABSOLUTE;
        if (body.startsWith(NODE_PREFIX)) {
            kind = Kind.NODE;
            body = body.substring(NODE_PREFIX.length());
        } else if (body.startsWith(SOCKET_PREFIX)) {
            kind = Kind.SOCKET;
            body = body.substring(SOCKET_PREFIX.length());
        } else if (body.startsWith("+")) {
            kind = Kind.POSITION;
            body = body.substring(1);
        }
        if (kind == Kind.ABSOLUTE && !body.isEmpty() && Character.isLetter(body.charAt(0))) {
            int end = 0;
            while (end < body.length() && Character.isLetter(body.charAt(end))) {
                end++;
            }
            throw new CpuListException("'" + item + "' in '" + whole + "': unknown word '" + body.substring(0, end)
                    + "'; expected a CPU number, all, +N (a position), node:N or socket:N");
        }
        if (body.trim().startsWith("-")) {
            throw new CpuListException("'" + item + "': CPU numbers are never negative; expected 0-" + CpuSet.MAX_CPU);
        }
        String what = kind == Kind.NODE ? "NUMA node number" : kind == Kind.SOCKET ? "socket number" : "CPU number";
        int stride = 1;
        int colon = body.indexOf(':');
        if (colon >= 0) {
            stride = number(body.substring(colon + 1), "stride", item, whole);
            if (stride == 0) {
                throw new CpuListException("'" + item + "' has stride 0; a stride is 1 or more");
            }
            body = body.substring(0, colon);
            if (body.indexOf('-') < 0) {
                throw new CpuListException("'" + item + "' has a stride but no range; write A-B:S");
            }
        }
        int dash = body.indexOf('-');
        int first;
        int last;
        if (dash < 0) {
            first = last = number(body, what, item, whole);
        } else {
            first = number(body.substring(0, dash), what, item, whole);
            last = number(body.substring(dash + 1), what, item, whole);
            if (last < first) {
                String prefix = kind == Kind.NODE ? NODE_PREFIX : kind == Kind.SOCKET ? SOCKET_PREFIX
                        : kind == Kind.POSITION ? "+" : "";
                throw new CpuListException("'" + item + "' is a reversed range; write " + (excluded ? "!" : "") + prefix
                        + last + "-" + first);
            }
        }
        return new Term(excluded, kind, first, last, stride);
    }

    private static int number(String s, String what, String item, String whole) throws CpuListException {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 9 || !isDigits(t)) {
            if (isDigits(t)) {
                throw new CpuListException("'" + item + "': " + t + " is above the largest id " + CpuSet.MAX_CPU);
            }
            throw new CpuListException("'" + item + "' in '" + whole + "': expected a " + what
                    + " (0-" + CpuSet.MAX_CPU + "), found '" + t + "'"
                    + (t.startsWith("node") || t.startsWith("socket") ? "; write node:N or socket:N" : ""));
        }
        int n = Integer.parseInt(t);
        if (n > CpuSet.MAX_CPU) {
            throw new CpuListException("'" + item + "': " + n + " is above the largest id " + CpuSet.MAX_CPU);
        }
        return n;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The CPUs this list names on a machine: included terms, minus excluded ones. */
    public CpuSet resolve(CpuContext context) throws CpuListException {
        return resolve(context, false, null);
    }

    /**
     * Like {@link #resolve(CpuContext)}, telling {@code warnings} (if not null) about positions
     * that run past the process's CPUs: {@code +2-5} where only 4 CPUs are allowed selects +2-3.
     */
    public CpuSet resolve(CpuContext context, java.util.List<String> warnings) throws CpuListException {
        return resolve(context, false, warnings);
    }

    /**
     * The CPUs the list names one by one ({@code 2-3}, {@code +0}), leaving out those that come
     * from {@code all}, {@code node:} or {@code socket:}: the ones a user meant individually.
     */
    public CpuSet explicitCpus(CpuContext context) throws CpuListException {
        return resolve(context, true, null);
    }

    private CpuSet resolve(CpuContext context, boolean explicitOnly, java.util.List<String> warnings)
            throws CpuListException {
        CpuSet.Builder included = CpuSet.builder();
        CpuSet.Builder excluded = CpuSet.builder();
        int[] byPosition = null; // the allowed CPUs in order, for +N terms; made once, not per position
        for (Term t : terms) {
            if (explicitOnly && (t.excluded || t.kind == Kind.ALL || t.kind == Kind.NODE || t.kind == Kind.SOCKET)) {
                continue;
            }
            CpuSet.Builder target = t.excluded ? excluded : included;
            switch (t.kind) {
                case NODE:
                case SOCKET:
                    target.addAll(domainCpus(t, context));
                    break;
                case ALL:
                    target.addAll(context.allowed());
                    break;
                case ABSOLUTE:
                    target.addRange(t.first, t.last, t.stride);
                    break;
                case POSITION:
                    if (byPosition == null) {
                        byPosition = context.allowed().toArray();
                    }
                    int count = byPosition.length;
                    if (t.first >= count) {
                        throw new CpuListException("position +" + t.first + " is past the " + count
                                + " CPUs this process may use (" + context.allowed() + ")");
                    }
                    for (int p = t.first; p <= Math.min(t.last, count - 1); p += t.stride) {
                        target.add(byPosition[p]);
                    }
                    if (t.last >= count && warnings != null) {
                        warnings.add("positions +" + t.first + "-" + t.last + " run past the " + count
                                + " CPUs this process may use (" + context.allowed() + "); only +" + t.first + "-" + (count - 1)
                                + " are used");
                    }
                    break;
                default:
                    throw new AssertionError(t.kind);
            }
        }
        return included.build().minus(excluded.build());
    }

    /** The allowed CPUs of the nodes or sockets a term names; every one named must exist. */
    private static CpuSet domainCpus(Term t, CpuContext context) throws CpuListException {
        CpuTopology topology = context.topology();
        boolean node = t.kind == Kind.NODE;
        int[] known = node ? topology.nodes() : topology.sockets();
        CpuSet.Builder out = CpuSet.builder();
        for (int id = t.first; id <= t.last; id += t.stride) {
            if (!contains(known, id)) {
                String what = node ? "NUMA node" : "socket";
                throw new CpuListException("'" + (node ? NODE_PREFIX : SOCKET_PREFIX) + idText(t) + "': there is no " + what
                        + " " + id + " among the CPUs this process may use (" + (node ? "nodes " : "sockets ")
                        + idList(known) + " in " + topology.source() + ")");
            }
            out.addAll(node ? topology.nodeCpus(id) : topology.socketCpus(id));
        }
        return out.build().intersect(context.allowed());
    }

    private static String idText(Term t) {
        return t.first == t.last ? Integer.toString(t.first)
                : t.first + "-" + t.last + (t.stride > 1 ? ":" + t.stride : "");
    }

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }

    private static String idList(int[] ids) {
        if (ids.length == 0) {
            return "none";
        }
        CpuSet.Builder b = CpuSet.builder();
        for (int i : ids) {
            b.add(i);
        }
        return b.build().toString(); // the kernel's list syntax reads well for ids too: 0-3
    }

    @Override
    public String toString() {
        return text;
    }
}
