package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThreadNameGlobTest {

    private static boolean matches(String pattern, String name) {
        return new ThreadNameGlob(pattern).matches(name);
    }

    @Test
    void literalPatternMatchesOnlyItself() {
        assertThat(matches("order-1", "order-1")).isTrue();
        assertThat(matches("order-1", "order-10")).isFalse();
        assertThat(matches("order-1", "xorder-1")).isFalse();
        assertThat(matches("order-1", "Order-1")).as("case-sensitive").isFalse();
        assertThat(matches("order-1", "")).isFalse();
    }

    @Test
    void starMatchesAnyRunIncludingNone() {
        assertThat(matches("order-*", "order-")).isTrue();
        assertThat(matches("order-*", "order-pool-3-thread-12")).isTrue();
        assertThat(matches("order-*", "orders")).isFalse();
        assertThat(matches("*-worker", "pool-1-worker")).isTrue();
        assertThat(matches("*-worker", "pool-1-worker-2")).isFalse();
        assertThat(matches("pool-*-thread-*", "pool-12-thread-3")).isTrue();
        assertThat(matches("pool-*-thread-*", "pool-12-thread")).isFalse();
        assertThat(matches("*", "")).isTrue();
        assertThat(matches("*", "anything at all")).isTrue();
        assertThat(matches("**", "x")).isTrue();
        assertThat(matches("a*b*c", "abc")).isTrue();
        assertThat(matches("a*b*c", "aXbYbZc")).isTrue();
        assertThat(matches("a*b*c", "aXbYbZ")).isFalse();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        assertThat(matches("io-?", "io-1")).isTrue();
        assertThat(matches("io-?", "io-")).isFalse();
        assertThat(matches("io-?", "io-12")).isFalse();
        assertThat(matches("??", "\u00e9\u00e8")).isTrue();
        assertThat(matches("io-?-*", "io-3-x")).isTrue();
    }

    @Test
    void emptyPatternMatchesOnlyTheEmptyName() {
        assertThat(matches("", "")).isTrue();
        assertThat(matches("", "x")).isFalse();
    }

    @Test
    void nullNameMatchesNothing() {
        assertThat(matches("*", null)).isFalse();
    }

    @Test
    void regexCharactersAreLiteral() {
        assertThat(matches("a.b", "a.b")).isTrue();
        assertThat(matches("a.b", "axb")).isFalse();
        assertThat(matches("pool[1]", "pool[1]")).isTrue();
        assertThat(matches("x+", "xx")).isFalse();
        assertThat(matches("$(name)^", "$(name)^")).isTrue();
    }

    @Test
    void starInThePatternIsAWildcardEvenWhereTheNameHasAStar() {
        assertThat(matches("*x", "*ax")).isTrue();
        assertThat(matches("a*", "a*b")).isTrue();
        assertThat(matches("*-*", "**-**")).isTrue();
        assertThat(matches("a*c", "a*b")).isFalse();
    }

    @Test
    void pathologicalPatternsFinishFast() {
        String longAs = "a".repeat(100_000);
        // Not a speed target: a backtracking matcher would take astronomically long here; the
        // generous bound only keeps a loaded CI machine from failing a linear-time matcher.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertThat(matches("*a*a*a*a*b", longAs)).isFalse();
            assertThat(matches("*a*a*a*a*b", longAs + "b")).isTrue();
            assertThat(matches("*?*?*?*?*?*?*?*?*?*b", longAs)).isFalse();
            assertThat(matches("a*".repeat(50) + "b", longAs)).isFalse();
            assertThat(matches("*" + "a".repeat(1000) + "b", longAs)).isFalse();
        });
    }

    @Test
    void patternIsKeptAsWritten() {
        ThreadNameGlob g = new ThreadNameGlob("order-*");

        assertThat(g.pattern()).isEqualTo("order-*");
        assertThat(g.toString()).isEqualTo("order-*");
    }
}
