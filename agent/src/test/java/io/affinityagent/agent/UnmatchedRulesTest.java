package io.affinityagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.PoolKind;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.config.ThreadNameGlob;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.engine.ThreadFacts;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** One line per rule that takes no thread, from the threads the agent sees; rules that take some are not named. */
class UnmatchedRulesTest {

    private static Rule rule(String name, String glob, PoolKind pool) {
        return new Rule(name, glob == null ? null : new ThreadNameGlob(glob), pool, null, null, CpuSet.of(0),
                Strategy.ROUND_ROBIN);
    }

    private final List<ThreadFacts> tomcat = List.of(
            ThreadFacts.plainThread("http-nio-8080-exec-1"),
            ThreadFacts.plainThread("http-nio-8080-exec-2"),
            ThreadFacts.plainThread("http-nio-8080-Poller"),
            ThreadFacts.worker("ForkJoinPool-1-worker-1", PoolKind.FORK_JOIN, new ForkJoinPool(1)));

    @Test
    void aNamedRuleWithoutAnyThreadGetsItsNearestPlainThreadsAndTheFixOnOneLine() {
        List<String> lines = UnmatchedRules.lines(List.of(rule("web", "http-nio-*-exec-*", null),
                rule("fj", null, PoolKind.FORK_JOIN)), tomcat, null);

        assertThat(lines).singleElement().asString()
                .startsWith("rule web (thread-name=http-nio-*-exec-*) matches none of the 4 running threads; nearest:"
                        + " http-nio-8080-exec-1 (a plain thread of no java.util.concurrent pool): add pool = any-thread")
                .doesNotContain("\n");
    }

    @Test
    void aRuleOfNoNameIsSaidWithoutNearestNames() {
        Rule common = rule("common", null, PoolKind.COMMON_POOL);
        assertThat(UnmatchedRules.lines(List.of(common), tomcat, null))
                .containsExactly("rule common (pool=common-pool) matches none of the 4 running threads");
    }
}
