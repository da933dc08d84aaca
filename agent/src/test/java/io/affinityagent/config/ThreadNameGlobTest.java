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
        assertThat(matches("pool\\[1]", "pool[1]")).isTrue();
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
    void classesMatchOneCharacterOfOrNotOfTheirSet() {
        assertThat(matches("http-nio-*-[AP]*", "http-nio-8080-Acceptor")).isTrue();
        assertThat(matches("http-nio-*-[AP]*", "http-nio-8080-Poller")).isTrue();
        assertThat(matches("http-nio-*-[AP]*", "http-nio-8080-exec-1")).isFalse();
        assertThat(matches("w-[0-9]", "w-7")).isTrue();
        assertThat(matches("w-[0-9]", "w-x")).isFalse();
        assertThat(matches("w-[a-cx-z]", "w-y")).isTrue();
        assertThat(matches("w-[!0-9]", "w-x")).isTrue();
        assertThat(matches("w-[!0-9]", "w-7")).isFalse();
        assertThat(matches("w-[^0-9]", "w-7")).isFalse();
        assertThat(matches("[]]", "]")).as("a ] first is literal").isTrue();
        assertThat(matches("[!]]", "a")).isTrue();
        assertThat(matches("[-a]", "-")).as("a - first is literal").isTrue();
        assertThat(matches("[a-]", "-")).as("a - last is literal").isTrue();
        assertThat(matches("[\\]]", "]")).isTrue();
    }

    @Test
    void bracesAndCommasGiveAlternatives() {
        String netty = "{nioEventLoopGroup,multiThreadIoEventLoopGroup}-*";
        assertThat(matches(netty, "multiThreadIoEventLoopGroup-2-1")).isTrue();
        assertThat(matches(netty, "nioEventLoopGroup-3-4")).isTrue();
        assertThat(matches(netty, "epollEventLoopGroup-3-4")).isFalse();
        assertThat(matches("nioEventLoopGroup-*, multiThreadIoEventLoopGroup-*", "multiThreadIoEventLoopGroup-2-1"))
                .as("a comma list, spaces around each glob ignored").isTrue();
        assertThat(matches("nioEventLoopGroup-*, multiThreadIoEventLoopGroup-*", "nioEventLoopGroup-3-4")).isTrue();
        assertThat(matches("worker{,-main}", "worker")).isTrue();
        assertThat(matches("worker{,-main}", "worker-main")).isTrue();
        assertThat(matches("{a,{b,c}d}x", "cdx")).as("nested").isTrue();
        assertThat(matches("{a,{b,c}d}x", "cx")).isFalse();
        assertThat(matches("a\\,b", "a,b")).as("an escaped comma is literal").isTrue();
        assertThat(matches("a\\*", "a*")).isTrue();
        assertThat(matches("a\\*", "ab")).isFalse();
    }

    @Test
    void malformedGlobsSayWhatAndWhere() {
        assertThat(error("http-nio-*-[AP*")).contains("'[' at character 12 is never closed");
        assertThat(error("{nio,epoll-*")).contains("'{' at character 1 is never closed");
        assertThat(error("a}")).contains("'}' at character 2 closes no '{'");
        assertThat(error("w-[z-a]")).contains("range z-a").contains("reversed");
        assertThat(error("a-*,")).contains("ends with a ','");
        assertThat(error("a-*,,b")).contains("no glob before the ',' at character 5");
        assertThat(error(", a")).contains("no glob before the ',' at character 1");
        assertThat(error("a\\")).contains("escapes nothing");
        assertThat(error("{a,b}".repeat(9))).contains("more than " + ThreadNameGlob.MAX_GLOBS + " globs");
        assertThat(error("{".repeat(40) + "}".repeat(40))).contains("deeper than");
    }

    private static String error(String glob) {
        try {
            ThreadNameGlob.parse(glob);
        } catch (ThreadNameGlob.SyntaxException e) {
            return e.getMessage();
        }
        throw new AssertionError("'" + glob + "' was accepted");
    }

    @Test
    void editsToMatchIsHowFarANameIsFromTheGlob() {
        assertThat(new ThreadNameGlob("http-nio-*-exec-*").editsToMatch("http-nio-8080-exec-1")).isZero();
        assertThat(new ThreadNameGlob("epollEventLoopGroup-*").editsToMatch("nioEventLoopGroup-2-1")).isEqualTo(4);
        assertThat(new ThreadNameGlob("epollEventLoopGroup-*").editsToMatch("multiThreadIoEventLoopGroup-2-1"))
                .isGreaterThan(new ThreadNameGlob("epollEventLoopGroup-*").editsToMatch("nioEventLoopGroup-2-1"));
        assertThat(new ThreadNameGlob("order-?").editsToMatch("order-12")).isEqualTo(1);
        assertThat(new ThreadNameGlob("w-[0-9]").editsToMatch("w-x")).isEqualTo(1);
        assertThat(new ThreadNameGlob("a, order-*").editsToMatch("orders-1")).isEqualTo(1);
        assertThat(new ThreadNameGlob("abc").editsToMatch("")).isEqualTo(3);
    }

    @Test
    void patternIsKeptAsWritten() {
        ThreadNameGlob g = new ThreadNameGlob("order-*");

        assertThat(g.pattern()).isEqualTo("order-*");
        assertThat(g.toString()).isEqualTo("order-*");
    }
}
