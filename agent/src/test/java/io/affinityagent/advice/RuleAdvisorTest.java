package io.affinityagent.advice;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.cpu.CpuSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleAdvisorTest {

    private static final String TOMCAT_POOL = "org.apache.tomcat.util.threads.ThreadPoolExecutor";

    /** What an embedded Tomcat 11 and a Netty 4.2 server run, as a thread dump shows them. */
    private static List<SeenThread> servers() {
        List<SeenThread> t = new ArrayList<>();
        t.add(new SeenThread("main", ThreadKind.MAIN, null, true));
        for (int i = 1; i <= 10; i++) {
            t.add(new SeenThread("http-nio-127.0.0.1-8080-exec-" + i, ThreadKind.PLAIN_THREAD, TOMCAT_POOL, true));
        }
        t.add(new SeenThread("http-nio-127.0.0.1-8080-Poller", ThreadKind.PLAIN_THREAD,
                "org.apache.tomcat.util.net.NioEndpoint", true));
        t.add(new SeenThread("http-nio-127.0.0.1-8080-Acceptor", ThreadKind.PLAIN_THREAD,
                "org.apache.tomcat.util.net.Acceptor", true));
        t.add(new SeenThread("multiThreadIoEventLoopGroup-2-1", ThreadKind.PLAIN_THREAD,
                "io.netty.util.concurrent.SingleThreadEventExecutor", true));
        t.add(new SeenThread("multiThreadIoEventLoopGroup-3-1", ThreadKind.PLAIN_THREAD,
                "io.netty.util.concurrent.SingleThreadEventExecutor", true));
        t.add(new SeenThread("pool-1-thread-1", ThreadKind.THREAD_POOL, "java.util.concurrent.ThreadPoolExecutor", false));
        t.add(new SeenThread("ForkJoinPool.commonPool-worker-1", ThreadKind.COMMON_POOL,
                "java.util.concurrent.ForkJoinPool", false));
        t.add(new SeenThread("my-timer", ThreadKind.THREAD_SUBCLASS, "java.util.TimerThread", true));
        t.add(new SeenThread("VM Thread", ThreadKind.JVM, null, true));
        return t;
    }

    private static Rule rule(String name, String glob, PoolKind pool, String poolClass) {
        return new Rule(name, glob == null ? null : new ThreadNameGlob(glob), pool, poolClass, null, CpuSet.of(0),
                Strategy.ROUND_ROBIN);
    }

    private static RuleAdvisor.RuleReport only(Rule r) {
        return RuleAdvisor.advise(List.of(r), servers()).get(0);
    }

    @Test
    void aServerGlobWithoutAnyThreadIsToldToAddIt() {
        RuleAdvisor.RuleReport report = only(rule("web", "http-nio-*-exec-*", null, null));

        assertThat(report.matchesNothing()).isTrue();
        assertThat(report.hints()).hasSize(1);
        assertThat(report.hints().get(0).thread().name()).isEqualTo("http-nio-127.0.0.1-8080-exec-1");
        assertThat(report.hints().get(0).fix()).startsWith("add pool = any-thread").contains(TOMCAT_POOL);
        assertThat(String.join("\n", report.explain())).startsWith("rule web (thread-name=http-nio-*-exec-*) matches none"
                + " of the 19 running threads; nearest:\n  http-nio-127.0.0.1-8080-exec-1 (a plain thread");
    }

    @Test
    void tomcatsOwnThreadPoolExecutorIsNoJucPool() {
        RuleAdvisor.RuleReport report = only(rule("web", null, null, TOMCAT_POOL));

        assertThat(report.hints()).hasSize(1);
        assertThat(report.hints().get(0).fix()).startsWith(TOMCAT_POOL + " is not a java.util.concurrent pool")
                .contains("thread-name = http-nio-*-exec-*").contains("pool = any-thread");
    }

    @Test
    void aGlobForNamesNettyNoLongerUsesGetsTheNearestRealNamesAndAGlobForThem() {
        RuleAdvisor.RuleReport report = only(rule("loops", "epollEventLoopGroup-*", PoolKind.ANY_THREAD, null));

        assertThat(report.hints()).isNotEmpty();
        assertThat(report.hints().get(0).thread().name()).isEqualTo("multiThreadIoEventLoopGroup-2-1");
        assertThat(report.hints().get(0).fix()).contains("thread-name = multiThreadIoEventLoopGroup-*");
        assertThat(report.hints()).extracting(h -> h.thread().name()).doesNotContain("multiThreadIoEventLoopGroup-3-1");
    }

    @Test
    void aPoolWorkerNamedByAnAnyThreadRuleIsToldToUseItsPoolKind() {
        RuleAdvisor.RuleReport report = only(rule("p", "pool-*", PoolKind.ANY_THREAD, null));

        assertThat(report.hints().get(0).thread().name()).isEqualTo("pool-1-thread-1");
        assertThat(report.hints().get(0).fix()).contains("any-thread rules never match").contains("pool = thread-pool");
    }

    @Test
    void aThreadWhoseClassOverridesRunIsMatchedByAnAnyThreadRuleAndOnlyByOne() {
        assertThat(only(rule("t", "my-timer", PoolKind.ANY_THREAD, null)).matched()).extracting(SeenThread::name)
                .containsExactly("my-timer");
        RuleAdvisor.RuleReport noPool = only(rule("t", "my-timer", null, null));
        assertThat(noPool.hints().get(0).fix()).contains("add pool = any-thread");
    }

    @Test
    void matchingRulesListTheirThreadsAndTheFirstRuleWins() {
        List<RuleAdvisor.RuleReport> reports = RuleAdvisor.advise(List.of(
                rule("web", "http-nio-*-exec-*", PoolKind.ANY_THREAD, null),
                rule("io", "http-nio-*-[AP]*", PoolKind.ANY_THREAD, null),
                rule("all", "http-*", PoolKind.ANY_THREAD, null),
                rule("jobs", null, PoolKind.THREAD_POOL, "com.example.Jobs")), servers());

        assertThat(reports.get(0).matched()).hasSize(10);
        assertThat(reports.get(1).matched()).extracting(SeenThread::name)
                .containsExactly("http-nio-127.0.0.1-8080-Poller", "http-nio-127.0.0.1-8080-Acceptor");
        assertThat(reports.get(2).matched()).isEmpty();
        assertThat(reports.get(2).takenBy()).containsEntry("web", 10).containsEntry("io", 2);
        assertThat(reports.get(2).explain().get(0)).contains("taken by earlier rules (web: 10, io: 2)");
        assertThat(reports.get(3).maybe()).extracting(SeenThread::name).containsExactly("pool-1-thread-1");
        assertThat(reports.get(3).explain().get(0)).contains("may take 1 thread (if their pool is a com.example.Jobs");
        assertThat(reports.get(0).explain().get(0)).startsWith("rule web (thread-name=http-nio-*-exec-* pool=any-thread)"
                + " takes 10 threads: http-nio-127.0.0.1-8080-exec-1, ").endsWith(", and 4 more");
    }

    @Test
    void suggestedGlobsFoldNumbersAndTheSeparatorsBetweenThem() {
        assertThat(RuleAdvisor.suggestGlob("http-nio-127.0.0.1-8080-exec-1")).isEqualTo("http-nio-*-exec-*");
        assertThat(RuleAdvisor.suggestGlob("multiThreadIoEventLoopGroup-2-1")).isEqualTo("multiThreadIoEventLoopGroup-*");
        assertThat(RuleAdvisor.suggestGlob("qtp1234567-42")).isEqualTo("qtp*");
        assertThat(RuleAdvisor.suggestGlob("a[1]")).isEqualTo("a\\[*\\]");
        assertThat(new ThreadNameGlob(RuleAdvisor.suggestGlob("a[1]")).matches("a[7]")).isTrue();
    }
}
