package io.affinityagent.config;

/**
 * A glob on thread names: {@code *} is any run of characters, {@code ?} any one character,
 * everything else is literal. Matching is iterative (no regex, no backtracking blow-up).
 */
public final class ThreadNameGlob {

    private final String pattern;

    public ThreadNameGlob(String pattern) {
        this.pattern = pattern;
    }

    public String pattern() {
        return pattern;
    }

    public boolean matches(String name) {
        if (name == null) {
            return false;
        }
        int p = 0;
        int n = 0;
        int starP = -1;
        int starN = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starN = n;
            } else if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (starP >= 0) {
                p = starP + 1;
                n = ++starN;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
