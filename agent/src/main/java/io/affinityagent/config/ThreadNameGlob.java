package io.affinityagent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A glob on thread names, as {@code rule.NAME.thread-name} takes it:
 * <ul>
 * <li>{@code *} any run of characters (none included), {@code ?} any one character;</li>
 * <li>{@code [abc]}, {@code [a-z0-9]} one character of the class, {@code [!x]} (or {@code [^x]}) one
 * character not in it; a {@code ]} first in the class and a {@code -} first or last are literal;</li>
 * <li>{@code {a,b}} either alternative (each may hold any of these, braces included):
 * {@code {nioEventLoopGroup,multiThreadIoEventLoopGroup}-*};</li>
 * <li>a comma outside braces separates globs, any of which may match ({@code http-nio-*, qtp*}),
 * spaces around each ignored;</li>
 * <li>{@code \} makes the next character literal ({@code \*}, {@code \,}); everything else is
 * literal.</li>
 * </ul>
 * Braces are expanded once, when the glob is read, into plain globs (at most {@link #MAX_GLOBS});
 * each is matched iteratively, backtracking only to its last {@code *}, so a match takes at most
 * (name length x glob length) steps: no regex, no exponential blow-up on hostile patterns.
 */
public final class ThreadNameGlob {

    /** More plain globs than this after expanding braces is an error, not a slow match. */
    public static final int MAX_GLOBS = 256;

    private static final int MAX_NESTING = 16;

    /** What a glob may hold, said in errors and in check's help. */
    public static final String SYNTAX = "* (any run of characters), ? (any one), [a-z] or [!x] (one character of or not"
            + " of a class), {a,b} (either), and a comma between globs (any of them)";

    /** A malformed glob: what is wrong, with the 1-based character where it is. */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private static final byte LITERAL = 0;
    private static final byte ANY = 1;
    private static final byte STAR = 2;
    private static final byte CLASS = 3;

    /** One plain glob: parallel arrays of elements. */
    private static final class Plain {
        final byte[] kinds;
        final char[] chars;
        final CharClass[] classes;

        Plain(List<Object> elements) {
            int n = elements.size();
            kinds = new byte[n];
            chars = new char[n];
            classes = new CharClass[n];
            for (int i = 0; i < n; i++) {
                Object e = elements.get(i);
                if (e instanceof CharClass) {
                    kinds[i] = CLASS;
                    classes[i] = (CharClass) e;
                } else if (e == STAR_ELEMENT) {
                    kinds[i] = STAR;
                } else if (e == ANY_ELEMENT) {
                    kinds[i] = ANY;
                } else {
                    kinds[i] = LITERAL;
                    chars[i] = (Character) e;
                }
            }
        }

        boolean matches(String name) {
            int m = kinds.length;
            int p = 0;
            int n = 0;
            int starP = -1;
            int starN = 0;
            while (n < name.length()) {
                if (p < m && kinds[p] == STAR) {
                    starP = p++;
                    starN = n;
                } else if (p < m && matchesOne(p, name.charAt(n))) {
                    p++;
                    n++;
                } else if (starP >= 0) {
                    p = starP + 1;
                    n = ++starN;
                } else {
                    return false;
                }
            }
            while (p < m && kinds[p] == STAR) {
                p++;
            }
            return p == m;
        }

        private boolean matchesOne(int p, char c) {
            switch (kinds[p]) {
                case ANY:
                    return true;
                case CLASS:
                    return classes[p].contains(c);
                default:
                    return chars[p] == c;
            }
        }

        /**
         * The fewest characters to insert, delete or change in {@code name} for this glob to
         * match it (a * absorbs any run for free): a Levenshtein distance to the glob.
         */
        int editsToMatch(String name) {
            int n = name.length();
            int[] prev = new int[n + 1];
            int[] cur = new int[n + 1];
            for (int j = 0; j <= n; j++) {
                prev[j] = j;
            }
            for (int i = 0; i < kinds.length; i++) {
                boolean star = kinds[i] == STAR;
                cur[0] = star ? prev[0] : prev[0] + 1;
                for (int j = 1; j <= n; j++) {
                    if (star) {
                        cur[j] = Math.min(prev[j], cur[j - 1]);
                    } else {
                        int change = prev[j - 1] + (matchesOne(i, name.charAt(j - 1)) ? 0 : 1);
                        cur[j] = Math.min(change, Math.min(prev[j], cur[j - 1]) + 1);
                    }
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[n];
        }
    }

    private static final Object STAR_ELEMENT = new Object();
    private static final Object ANY_ELEMENT = new Object();

    /** {@code [...]}: ranges lo-hi (single characters as lo = hi), maybe negated. */
    private static final class CharClass {
        final char[] lows;
        final char[] highs;
        final boolean negated;

        CharClass(char[] lows, char[] highs, boolean negated) {
            this.lows = lows;
            this.highs = highs;
            this.negated = negated;
        }

        boolean contains(char c) {
            boolean in = false;
            for (int i = 0; i < lows.length && !in; i++) {
                in = c >= lows[i] && c <= highs[i];
            }
            return in != negated;
        }
    }

    private final String pattern;
    private final Plain[] globs;

    private ThreadNameGlob(String pattern, Plain[] globs) {
        this.pattern = pattern;
        this.globs = globs;
    }

    /**
     * A glob that must be valid (tests, and patterns the code writes itself).
     *
     * @throws IllegalArgumentException when it is not
     */
    public ThreadNameGlob(String pattern) {
        this(pattern, compileOrThrow(pattern));
    }

    private static Plain[] compileOrThrow(String pattern) {
        try {
            return parse(pattern).globs;
        } catch (SyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Reads a glob from a config; the exception says what is wrong and where. */
    public static ThreadNameGlob parse(String pattern) throws SyntaxException {
        List<List<Object>> expanded = new ArrayList<>();
        Parser parser = new Parser(pattern);
        for (int[] item : parser.topLevelItems()) {
            List<Node> seq = parser.sequence(item[0], item[1], 0);
            long count = count(seq);
            if (expanded.size() + count > MAX_GLOBS) {
                throw new SyntaxException("its braces give more than " + MAX_GLOBS + " globs; use fewer"
                        + " alternatives, or * and [...]");
            }
            expand(seq, 0, new ArrayList<Object>(), expanded);
        }
        Plain[] globs = new Plain[expanded.size()];
        for (int i = 0; i < globs.length; i++) {
            globs[i] = new Plain(expanded.get(i));
        }
        return new ThreadNameGlob(pattern, globs);
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String name) {
        if (name == null) {
            return false;
        }
        for (Plain g : globs) {
            if (g.matches(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fewest single-character edits to {@code name} after which the glob matches it (0 when
     * it does): how near a thread name is to a glob that matches none.
     */
    public int editsToMatch(String name) {
        int best = Integer.MAX_VALUE;
        for (Plain g : globs) {
            best = Math.min(best, g.editsToMatch(name));
        }
        return best;
    }

    @Override
    public String toString() {
        return pattern;
    }

    // ---- parsing -------------------------------------------------------------------------

    /** A piece of a sequence: a single element (literal, ?, *, class) or alternatives. */
    private static final class Node {
        final Object element;
        final List<List<Node>> alternatives;

        Node(Object element) {
            this.element = element;
            this.alternatives = null;
        }

        Node(List<List<Node>> alternatives) {
            this.element = null;
            this.alternatives = alternatives;
        }
    }

    /** How many plain globs a sequence expands to, saturated above MAX_GLOBS. */
    private static long count(List<Node> seq) {
        long total = 1;
        for (Node n : seq) {
            if (n.alternatives != null) {
                long sum = 0;
                for (List<Node> alt : n.alternatives) {
                    sum = Math.min(sum + count(alt), MAX_GLOBS + 1L);
                }
                total = Math.min(total * sum, MAX_GLOBS + 1L);
            }
        }
        return total;
    }

    private static void expand(List<Node> seq, int from, List<Object> prefix, List<List<Object>> out) {
        for (int i = from; i < seq.size(); i++) {
            Node n = seq.get(i);
            if (n.alternatives != null) {
                for (List<Node> alt : n.alternatives) {
                    List<Node> rest = new ArrayList<>(alt);
                    rest.addAll(seq.subList(i + 1, seq.size()));
                    expand(rest, 0, new ArrayList<Object>(prefix), out);
                }
                return;
            }
            prefix.add(n.element);
        }
        out.add(prefix);
    }

    private static final class Parser {
        private final String s;

        Parser(String s) {
            this.s = s;
        }

        /** [start, end) of each comma-separated glob, spaces around it left out. */
        List<int[]> topLevelItems() throws SyntaxException {
            List<int[]> items = new ArrayList<>();
            int depth = 0;
            int start = 0;
            int i = 0;
            while (i <= s.length()) {
                char c = i < s.length() ? s.charAt(i) : ',';
                boolean end = i == s.length();
                if (!end && c == '\\') {
                    i += i + 1 < s.length() ? 2 : 1;
                    continue;
                }
                if (!end && c == '[') {
                    i = classEnd(i) + 1;
                    continue;
                }
                if (c == '{') {
                    depth++;
                } else if (c == '}' && depth > 0) {
                    depth--;
                } else if (c == ',' && (depth == 0 || end)) {
                    // at the end an unclosed '{' is left to sequence(), which says where it opened
                    int a = start;
                    int b = i;
                    while (a < b && s.charAt(a) <= ' ') {
                        a++;
                    }
                    while (b > a && s.charAt(b - 1) <= ' ') {
                        b--;
                    }
                    if (a == b && s.length() > 0) {
                        throw new SyntaxException(i >= s.length() ? "ends with a ',' and no glob after it"
                                : "has no glob before the ',' at character " + (i + 1));
                    }
                    items.add(new int[] {a, b});
                    start = i + 1;
                }
                i++;
            }
            return items;
        }

        /** The sequence in [from, to): elements, classes, and braces with their alternatives. */
        List<Node> sequence(int from, int to, int depth) throws SyntaxException {
            List<Node> seq = new ArrayList<>();
            int i = from;
            while (i < to) {
                char c = s.charAt(i);
                if (c == '*') {
                    seq.add(new Node(STAR_ELEMENT));
                    i++;
                } else if (c == '?') {
                    seq.add(new Node(ANY_ELEMENT));
                    i++;
                } else if (c == '[') {
                    int end = classEnd(i);
                    seq.add(new Node(charClass(i, end)));
                    i = end + 1;
                } else if (c == '{') {
                    if (depth == MAX_NESTING) {
                        throw new SyntaxException("nests braces deeper than " + MAX_NESTING + " (character " + (i + 1)
                                + ")");
                    }
                    int end = braceEnd(i, to);
                    List<List<Node>> alts = new ArrayList<>();
                    int start = i + 1;
                    for (int comma : topLevelCommas(i + 1, end)) {
                        alts.add(sequence(start, comma, depth + 1));
                        start = comma + 1;
                    }
                    alts.add(sequence(start, end, depth + 1));
                    seq.add(new Node(alts));
                    i = end + 1;
                } else if (c == '}') {
                    throw new SyntaxException("the '}' at character " + (i + 1) + " closes no '{' (write \\} for a"
                            + " literal one)");
                } else if (c == '\\') {
                    if (i + 1 >= s.length()) {
                        throw new SyntaxException("ends with a '\\' that escapes nothing");
                    }
                    seq.add(new Node(Character.valueOf(s.charAt(i + 1))));
                    i += 2;
                } else {
                    seq.add(new Node(Character.valueOf(c)));
                    i++;
                }
            }
            return seq;
        }

        /** The index of the ']' that closes the class opened at {@code open}. */
        private int classEnd(int open) throws SyntaxException {
            int i = open + 1;
            if (i < s.length() && (s.charAt(i) == '!' || s.charAt(i) == '^')) {
                i++;
            }
            if (i < s.length() && s.charAt(i) == ']') {
                i++; // a ']' first in the class is literal
            }
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i += 2;
                } else if (c == ']') {
                    return i;
                } else {
                    i++;
                }
            }
            throw new SyntaxException("the '[' at character " + (open + 1) + " is never closed by a ']' (a class such"
                    + " as [0-9] or [!x]; write \\[ for a literal one)");
        }

        private CharClass charClass(int open, int close) throws SyntaxException {
            int i = open + 1;
            boolean negated = false;
            if (s.charAt(i) == '!' || s.charAt(i) == '^') {
                negated = true;
                i++;
            }
            StringBuilder lows = new StringBuilder();
            StringBuilder highs = new StringBuilder();
            while (i < close) {
                char lo = s.charAt(i);
                if (lo == '\\') {
                    lo = s.charAt(++i);
                }
                i++;
                char hi = lo;
                if (i + 1 < close && s.charAt(i) == '-') {
                    int at = i;
                    hi = s.charAt(++i);
                    if (hi == '\\') {
                        hi = s.charAt(++i);
                    }
                    i++;
                    if (hi < lo) {
                        throw new SyntaxException("the range " + lo + "-" + hi + " at character " + at + " is reversed;"
                                + " write " + hi + "-" + lo);
                    }
                }
                lows.append(lo);
                highs.append(hi);
            }
            if (lows.length() == 0) {
                throw new SyntaxException("the class at character " + (open + 1) + " is empty");
            }
            return new CharClass(lows.toString().toCharArray(), highs.toString().toCharArray(), negated);
        }

        /** The index of the '}' that closes the brace opened at {@code open}, before {@code to}. */
        private int braceEnd(int open, int to) throws SyntaxException {
            int end = scan(open + 1, to, null);
            if (end < 0) {
                throw new SyntaxException("the '{' at character " + (open + 1) + " is never closed by a '}' (alternatives"
                        + " such as {a,b}; write \\{ for a literal one)");
            }
            return end;
        }

        /** Commas at depth 0 in [from, to), which is known to be well formed. */
        private List<Integer> topLevelCommas(int from, int to) throws SyntaxException {
            List<Integer> commas = new ArrayList<>();
            scan(from, to, commas);
            return commas;
        }

        /**
         * Walks [from, to) as if just inside a brace, stepping over escapes and classes: returns
         * the index of the '}' that closes that brace (-1 if none does), and adds the commas met
         * outside any inner brace to {@code commas} (unless null).
         */
        private int scan(int from, int to, List<Integer> commas) throws SyntaxException {
            int depth = 1;
            int i = from;
            while (i < to) {
                char c = s.charAt(i);
                if (c == '\\') {
                    i += 2;
                    continue;
                }
                if (c == '[') {
                    i = classEnd(i) + 1;
                    continue;
                }
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return i;
                } else if (c == ',' && depth == 1 && commas != null) {
                    commas.add(i);
                }
                i++;
            }
            return -1;
        }
    }
}
