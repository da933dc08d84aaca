package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Random globs against random names: a glob is either read or refused with a
 * {@link ThreadNameGlob.SyntaxException} (never another exception), and a glob that is read
 * matches exactly the names an independent translation to a regular expression matches.
 * Seeded: {@code -Dfuzz.seed=N -Dfuzz.cases=N}.
 */
class ThreadNameGlobFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 0x6AFF1_417L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 4000);

    private static final String[] PIECES = {"a", "b", "-", "*", "?", "[ab]", "[!a]", "[a-c]", "[^-]", "[]]", "{a,b}",
            "{a,}", "{,b*}", "{a,{b,c}}", ",", "\\*", "\\,", "[", "]", "{", "}", "\\", "1", "[0-9]", "[z-a]", "x"};

    /** A glob made of pieces that are often, not always, well formed. */
    static String randomGlob(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    private static String randomName(Random r) {
        String alphabet = "ab-1x,*[]{}c";
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(7);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Test
    void globsAreReadOrRefusedAndMatchAsTheirRegexDoes() {
        Random r = new Random(SEED);
        int read = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            String glob = randomGlob(r);
            ThreadNameGlob parsed;
            try {
                parsed = ThreadNameGlob.parse(glob);
            } catch (ThreadNameGlob.SyntaxException e) {
                refused++;
                assertThat(e.getMessage()).as(glob).isNotBlank();
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("glob '" + glob + "' (case " + i + ", seed " + SEED + ") threw " + e, e);
            }
            read++;
            Pattern reference = Pattern.compile(toRegex(glob), Pattern.DOTALL);
            for (int k = 0; k < 30; k++) {
                String name = randomName(r);
                assertThat(parsed.matches(name)).as("glob '%s' on '%s' (regex %s)", glob, name, reference)
                        .isEqualTo(reference.matcher(name).matches());
            }
        }
        assertThat(read).isGreaterThan(CASES / 10);
        assertThat(refused).isGreaterThan(CASES / 10);
    }

    @Test
    void hostileGlobsAreReadAndMatchedInBoundedTime() {
        String longAs = "a".repeat(100_000);
        // Not a speed target: the generous bound only keeps a loaded machine from failing.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            ThreadNameGlob many = ThreadNameGlob.parse("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}*[!a]");
            assertThat(many.matches(longAs)).isFalse();
            assertThat(many.matches(longAs + "b")).isTrue();
            assertThat(ThreadNameGlob.parse("*[a-z]*[a-z]*[a-z]*[0-9]").matches(longAs)).isFalse();
            assertThat(ThreadNameGlob.parse("x*," .repeat(200) + "*b").matches(longAs)).isFalse();
        });
    }

    /**
     * The reference: the glob written as a regular expression, character by character (top-level
     * and brace commas become '|', classes become regex classes of \\x{..} escapes). Only for
     * globs that {@link ThreadNameGlob#parse} accepted, without spaces around top-level commas.
     */
    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder("(?:");
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '\\') {
                re.append(lit(glob.charAt(i + 1)));
                i += 2;
            } else if (c == '*') {
                re.append(".*");
                i++;
            } else if (c == '?') {
                re.append('.');
                i++;
            } else if (c == '{') {
                re.append("(?:");
                i++;
            } else if (c == '}') {
                re.append(')');
                i++;
            } else if (c == ',') {
                re.append('|');
                i++;
            } else if (c == '[') {
                i++;
                re.append('[');
                if (glob.charAt(i) == '!' || glob.charAt(i) == '^') {
                    re.append('^');
                    i++;
                }
                boolean first = true;
                while (first || glob.charAt(i) != ']') {
                    first = false;
                    char lo = glob.charAt(i);
                    if (lo == '\\') {
                        lo = glob.charAt(++i);
                    }
                    i++;
                    re.append(lit(lo));
                    if (glob.charAt(i) == '-' && glob.charAt(i + 1) != ']') {
                        char hi = glob.charAt(i + 1);
                        i += 2;
                        if (hi == '\\') {
                            hi = glob.charAt(i++);
                        }
                        re.append('-').append(lit(hi));
                    }
                }
                re.append(']');
                i++;
            } else {
                re.append(lit(c));
                i++;
            }
        }
        return re.append(')').toString();
    }

    private static String lit(char c) {
        return "\\x{" + Integer.toHexString(c) + "}";
    }
}
