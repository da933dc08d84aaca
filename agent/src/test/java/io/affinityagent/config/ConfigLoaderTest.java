package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.log.LogLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    /** A made-up machine: this process may use 8 CPUs, 0-7. */
    private static final CpuContext EIGHT_CPUS = CpuContext.of(CpuSet.range(0, 7));

    private static final String[] DESIGN_EXAMPLE = {
        "# /etc/affinity.properties",                                                                  // 1
        "rules = orders, batch, common          # tried in this order; the first that matches wins",   // 2
        "",                                                                                            // 3
        "rule.orders.thread-name = order-*      # glob on the worker's thread name (* and ?)",         // 4
        "rule.orders.cpus = 2-3",                                                                      // 5
        "rule.orders.strategy = round-robin     # one CPU per worker",                                 // 6
        "",                                                                                            // 7
        "rule.batch.pool = thread-pool          # thread-pool | fork-join | common-pool | virtual-scheduler", // 8
        "rule.batch.cpus = 4-7",                                                                       // 9
        "rule.batch.strategy = shared           # every worker may run on any CPU of the set",         // 10
        "",                                                                                            // 11
        "rule.common.pool = common-pool",                                                              // 12
        "rule.common.cpus = 0-1",                                                                      // 13
    };

    @TempDir
    Path dir;

    private Path file;

    private ConfigLoader.Result load(String... lines) throws IOException {
        return load(EIGHT_CPUS, ConfigLoader.Overrides.NONE, lines);
    }

    private ConfigLoader.Result load(CpuContext cpus, ConfigLoader.Overrides overrides, String... lines)
            throws IOException {
        file = dir.resolve("affinity.properties");
        Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        return ConfigLoader.load(file, cpus, overrides);
    }

    /** The result failed with exactly one problem, an error at this line and key, saying these words. */
    private ConfigProblem assertSingleError(ConfigLoader.Result r, int line, String key, String... words) {
        assertThat(r.ok()).isFalse();
        assertThat(r.config()).isNull();
        assertThat(r.problems()).as("problems").hasSize(1);
        ConfigProblem p = r.problems().get(0);
        assertThat(p.isError()).isTrue();
        assertThat(r.errors()).containsExactly(p);
        assertThat(p.file()).isEqualTo(file);
        assertThat(p.line()).as("line of %s", p).isEqualTo(line);
        assertThat(p.key()).as("key of %s", p).isEqualTo(key);
        assertThat(p.message()).contains(words);
        assertThat(p.toString()).startsWith(file + (line > 0 ? ":" + line : "") + ": " + (key != null ? key + ": " : ""));
        return p;
    }

    private static List<String> ruleNames(AgentConfig c) {
        List<String> names = new ArrayList<>();
        for (Rule r : c.rules()) {
            names.add(r.name());
        }
        return names;
    }

    @Test
    void designExampleLoadsWithEveryRuleResolved() throws IOException {
        ConfigLoader.Result r = load(DESIGN_EXAMPLE);

        assertThat(r.problems()).isEmpty();
        assertThat(r.ok()).isTrue();
        AgentConfig c = r.config();
        assertThat(c.file()).isEqualTo(file);
        assertThat(c.onError()).isEqualTo(OnError.WARN);
        assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(c.processCpus()).isEqualTo(CpuSet.range(0, 7));
        assertThat(ruleNames(c)).containsExactly("orders", "batch", "common");

        Rule orders = c.rule("orders");
        assertThat(orders.threadName().pattern()).isEqualTo("order-*");
        assertThat(orders.pool()).isNull();
        assertThat(orders.poolClass()).isNull();
        assertThat(orders.cpus()).isEqualTo(CpuSet.of(2, 3));
        assertThat(orders.cpuList().text()).isEqualTo("2-3");
        assertThat(orders.strategy()).isEqualTo(Strategy.ROUND_ROBIN);
        assertThat(orders.selectorText()).isEqualTo("thread-name=order-*");

        Rule batch = c.rule("batch");
        assertThat(batch.threadName()).isNull();
        assertThat(batch.pool()).isEqualTo(PoolKind.THREAD_POOL);
        assertThat(batch.cpus()).isEqualTo(CpuSet.range(4, 7));
        assertThat(batch.strategy()).isEqualTo(Strategy.SHARED);

        Rule common = c.rule("common");
        assertThat(common.pool()).isEqualTo(PoolKind.COMMON_POOL);
        assertThat(common.cpus()).isEqualTo(CpuSet.of(0, 1));
        assertThat(common.strategy()).as("default strategy").isEqualTo(Strategy.ROUND_ROBIN);
        assertThat(c.rule("nope")).isNull();
    }

    @Test
    void everySelectorTogether() throws IOException {
        ConfigLoader.Result r = load(
                "rule.a.thread-name = io-?-*",
                "rule.a.pool = fork-join",
                "rule.a.pool-class = com.example.Outer$InnerPool",
                "rule.a.cpus = 0-7:2");

        assertThat(r.problems()).isEmpty();
        Rule a = r.config().rule("a");
        assertThat(a.pool()).isEqualTo(PoolKind.FORK_JOIN);
        assertThat(a.poolClass()).isEqualTo("com.example.Outer$InnerPool");
        assertThat(a.cpus()).isEqualTo(CpuSet.of(0, 2, 4, 6));
        assertThat(a.selectorText()).isEqualTo("thread-name=io-?-* pool=fork-join pool-class=com.example.Outer$InnerPool");
    }

    @Test
    void ruleOrderComesFromRulesNotFromTheFile() throws IOException {
        ConfigLoader.Result r = load(
                "rule.a.pool = thread-pool", "rule.a.cpus = 0",
                "rule.b.pool = fork-join", "rule.b.cpus = 1",
                "rule.c.pool = common-pool", "rule.c.cpus = 2",
                "rules = c,b\ta  ,");

        assertThat(r.problems()).isEmpty();
        assertThat(ruleNames(r.config())).containsExactly("c", "b", "a");
    }

    @Test
    void withoutRulesTheOrderIsWhereEachRuleFirstAppears() throws IOException {
        ConfigLoader.Result r = load(
                "rule.b.cpus = 1",
                "rule.a.pool = thread-pool",
                "rule.b.pool = fork-join",
                "rule.c.thread-name = x",
                "rule.a.cpus = 0",
                "rule.c.cpus = 2");

        assertThat(r.problems()).isEmpty();
        assertThat(ruleNames(r.config())).containsExactly("b", "a", "c");
    }

    @Test
    void cpuListsResolveAgainstTheAllowedSet() throws IOException {
        CpuContext container = CpuContext.of(CpuSet.builder().addRange(4, 7, 1).addRange(12, 15, 1).build());
        ConfigLoader.Result r = load(container, ConfigLoader.Overrides.NONE,
                "rule.first.pool = thread-pool", "rule.first.cpus = +0-3",
                "rule.rest.pool = fork-join", "rule.rest.cpus = all,!+0-3");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().rule("first").cpus().toString()).isEqualTo("4-7");
        assertThat(r.config().rule("rest").cpus().toString()).isEqualTo("12-15");
        assertThat(r.config().processCpus()).isEqualTo(container.allowed());
    }

    @Test
    void malformedCpusNamesFileLineAndKey() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "", "rule.a.cpus = 2-x");

        assertSingleError(r, 3, "rule.a.cpus", "'2-x'", "expected a CPU number", "found 'x'");
    }

    @Test
    void positionPastTheAllowedSetIsAnError() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = +8");

        assertSingleError(r, 2, "rule.a.cpus", "+8", "past the 8 CPUs", "0-7");
    }

    @Test
    void positionsRunningPastTheAllowedSetAreCutWithAWarning() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = +6-10");

        assertThat(r.ok()).isTrue();
        assertThat(r.config().rules().get(0).cpus()).isEqualTo(CpuSet.of(6, 7));
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.isError()).isFalse();
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.key()).isEqualTo("rule.a.cpus");
            assertThat(p.message()).contains("+6-10", "run past the 8 CPUs", "only +6-7 are used");
        });
    }

    @Test
    void unknownKeySuggestsTheNearestKnownOne() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 0", "on-eror = fail");

        assertSingleError(r, 3, "on-eror", "unknown key", "rules, on-error, log, topology, reserved, cpuset-watch, lock-dir, rule.NAME.KEY",
                "did you mean 'on-error'?");
    }

    @Test
    void unknownKeyFarFromAnyKnownOneHasNoSuggestion() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 0", "threads = 4");

        ConfigProblem p = assertSingleError(r, 3, "threads", "unknown key");
        assertThat(p.message()).doesNotContain("did you mean");
    }

    @Test
    void unknownRuleKeySuggestsTheNearestRuleKey() throws IOException {
        ConfigLoader.Result r = load("rule.a.thread-nam = order-*", "rule.a.pool = thread-pool", "rule.a.cpus = 0");

        assertSingleError(r, 1, "rule.a.thread-nam", "unknown rule key 'thread-nam'",
                "thread-name, pool, pool-class, cpus, strategy", "did you mean 'thread-name'?");
    }

    @Test
    void ruleKeyWithoutThreeParts() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 0", "rule.b = 1");

        assertSingleError(r, 3, "rule.b", "rule.NAME.KEY");
    }

    @Test
    void ruleNameWithADot() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 0", "rule.b.c.cpus = 1");

        assertSingleError(r, 3, "rule.b.c.cpus", "rule.NAME.KEY", "letters, digits");
    }

    @Test
    void unknownStrategy() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 0", "rule.a.strategy = round_robin");

        assertSingleError(r, 3, "rule.a.strategy", "'round_robin' is not a strategy", "round-robin | shared");
    }

    @Test
    void unknownPoolKind() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = forkjoin", "rule.a.cpus = 0");

        assertSingleError(r, 1, "rule.a.pool", "'forkjoin' is not a pool kind",
                "thread-pool | fork-join | common-pool | virtual-scheduler");
    }

    @ParameterizedTest
    @ValueSource(strings = {"com..Foo", "1Foo", "com.example.", ".Foo", "com.example.Foo-Bar", "com/example/Foo"})
    void badPoolClass(String poolClass) throws IOException {
        ConfigLoader.Result r = load("rule.a.pool-class = " + poolClass, "rule.a.cpus = 0");

        assertSingleError(r, 1, "rule.a.pool-class", "'" + poolClass + "' is not a class name", "fully qualified");
    }

    @Test
    void emptyThreadName() throws IOException {
        ConfigLoader.Result r = load("rule.a.thread-name =", "rule.a.cpus = 0");

        assertSingleError(r, 1, "rule.a.thread-name", "is empty", "glob");
    }

    @Test
    void ruleWithNoSelector() throws IOException {
        ConfigLoader.Result r = load("# header", "rule.a.cpus = 0", "rule.a.strategy = shared");

        assertSingleError(r, 2, "rule.a", "no selector", "rule.a.thread-name", "rule.a.pool", "rule.a.pool-class");
    }

    @Test
    void ruleWithoutCpus() throws IOException {
        ConfigLoader.Result r = load("# header", "", "rule.a.pool = thread-pool", "rule.a.strategy = shared");

        assertSingleError(r, 3, "rule.a.cpus", "is missing", "rule.a.cpus = 2-3");
    }

    @Test
    void rulesListingAnUndefinedRule() throws IOException {
        ConfigLoader.Result r = load("rules = order", "rule.orders.pool = thread-pool", "rule.orders.cpus = 0");

        List<ConfigProblem> errors = r.errors();
        assertThat(r.config()).isNull();
        assertThat(errors).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.key()).isEqualTo("rules");
            assertThat(p.message()).contains("lists 'order'", "no rule.order.* key", "did you mean 'orders'?");
        });
        // 'orders' itself is then unlisted: that is said too, as a warning on its first line.
        assertThat(r.problems()).filteredOn(p -> !p.isError()).singleElement()
                .satisfies(p -> assertThat(p.line()).isEqualTo(2));
    }

    @Test
    void ruleListedTwice() throws IOException {
        ConfigLoader.Result r = load("rules = a, b, a", "rule.a.pool = thread-pool", "rule.a.cpus = 0",
                "rule.b.pool = fork-join", "rule.b.cpus = 1");

        assertSingleError(r, 1, "rules", "lists 'a' twice");
    }

    @Test
    void emptyRules() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 0", "rules =   # none yet");

        assertSingleError(r, 3, "rules", "is empty", "rules = orders, batch");
    }

    @Test
    void noRuleAtAll() throws IOException {
        assertSingleError(load(""), 0, null, "defines no rule", "rule.NAME.cpus");
        assertSingleError(load("# only a comment"), 0, null, "defines no rule");
        assertSingleError(load("on-error = fail", "log = debug"), 0, null, "defines no rule");
    }

    @Test
    void badOnError() throws IOException {
        ConfigLoader.Result r = load("on-error = maybe", "rule.a.pool = thread-pool", "rule.a.cpus = 0");

        assertSingleError(r, 1, "on-error", "'maybe' is not valid", "warn | fail");
        assertThat(r.onError()).as("falls back to the default").isEqualTo(OnError.WARN);
    }

    @Test
    void badLog() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 0", "log = verbose");

        assertSingleError(r, 3, "log", "'verbose' is not valid", "quiet | info | debug");
        assertThat(r.logLevel()).isEqualTo(LogLevel.INFO);
    }

    @Test
    void ruleDefinedButNotListedIsAWarningAndIsLeftOut() throws IOException {
        ConfigLoader.Result r = load("rules = a",
                "rule.a.pool = thread-pool", "rule.a.cpus = 0",
                "rule.spare.cpus = 1", "rule.spare.pool = fork-join");

        assertThat(r.ok()).isTrue();
        assertThat(ruleNames(r.config())).containsExactly("a");
        assertThat(r.errors()).isEmpty();
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.severity()).isEqualTo(ConfigProblem.Severity.WARNING);
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.key()).isEqualTo("rule.spare.cpus");
            assertThat(p.message()).contains("'spare'", "not listed in 'rules' (line 1)", "ignored");
        });
    }

    @Test
    void cpusOutsideTheAllowedSetAreDroppedWithAWarningAndTheRuleUsesTheRest() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 6-9,12");

        assertThat(r.ok()).isTrue();
        Rule a = r.config().rule("a");
        assertThat(a.cpus()).isEqualTo(CpuSet.of(6, 7));
        assertThat(a.cpuList().text()).isEqualTo("6-9,12");
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.isError()).isFalse();
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.key()).isEqualTo("rule.a.cpus");
            assertThat(p.message()).contains("CPUs 8-9,12 are not available", "may use 0-7", "the rule uses 6-7");
        });
    }

    @Test
    void ruleWithNoAllowedCpuIsAnError() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 8-9");

        assertSingleError(r, 2, "rule.a.cpus", "none of CPUs 8-9", "may use 0-7");
    }

    @Test
    void ruleWhoseListSelectsNothingSaysSo() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = all,!0-7");

        ConfigProblem p = assertSingleError(r, 2, "rule.a.cpus", "'all,!0-7'", "names no CPU this process may use");
        assertThat(p.message()).doesNotContain("CPUs  ");
    }

    @Test
    void fileValuesForOnErrorAndLogAreUsed() throws IOException {
        ConfigLoader.Result r = load("on-error = fail", "log = quiet", "rule.a.pool = thread-pool", "rule.a.cpus = 0");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().onError()).isEqualTo(OnError.FAIL);
        assertThat(r.config().logLevel()).isEqualTo(LogLevel.QUIET);
        assertThat(r.onError()).isEqualTo(OnError.FAIL);
        assertThat(r.logLevel()).isEqualTo(LogLevel.QUIET);
    }

    @Test
    void agentArgumentsWinOverTheFile() throws IOException {
        ConfigLoader.Result r = load(EIGHT_CPUS, new ConfigLoader.Overrides(OnError.FAIL, LogLevel.DEBUG),
                "on-error = warn", "log = quiet", "rule.a.pool = thread-pool", "rule.a.cpus = 0");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().onError()).isEqualTo(OnError.FAIL);
        assertThat(r.config().logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(r.onError()).isEqualTo(OnError.FAIL);

        ConfigLoader.Result onlyLog = load(EIGHT_CPUS, new ConfigLoader.Overrides(null, LogLevel.DEBUG),
                "on-error = fail", "log = quiet", "rule.a.pool = thread-pool", "rule.a.cpus = 0");
        assertThat(onlyLog.config().onError()).isEqualTo(OnError.FAIL);
        assertThat(onlyLog.config().logLevel()).isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void onErrorFromTheFileIsKnownEvenWhenTheFileHasErrors() throws IOException {
        ConfigLoader.Result r = load("on-error = fail", "rule.a.pool = thread-pool", "rule.a.cpus = x");

        assertThat(r.config()).isNull();
        assertThat(r.onError()).isEqualTo(OnError.FAIL);
    }

    @Test
    void unreadableConfigGivesNoConfigAndTheOverriddenOnError() {
        Path missing = dir.resolve("missing.properties");

        ConfigLoader.Result plain = ConfigLoader.load(missing, EIGHT_CPUS, ConfigLoader.Overrides.NONE);
        assertThat(plain.config()).isNull();
        assertThat(plain.onError()).isEqualTo(OnError.WARN);
        assertThat(plain.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(plain.errors()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(missing);
            assertThat(p.message()).contains("no such file");
        });

        ConfigLoader.Result failing = ConfigLoader.load(missing, EIGHT_CPUS,
                new ConfigLoader.Overrides(OnError.FAIL, LogLevel.QUIET));
        assertThat(failing.config()).isNull();
        assertThat(failing.onError()).isEqualTo(OnError.FAIL);
        assertThat(failing.logLevel()).isEqualTo(LogLevel.QUIET);
    }

    @Test
    void everyErrorIsReportedNotJustTheFirst() throws IOException {
        ConfigLoader.Result r = load(
                "rule.a.pool = thread-pol",      // 1
                "rule.a.cpus = 0-",              // 2
                "rule.b.pool = fork-join",       // 3
                "rule.b.strategy = spiral",      // 4
                "log = loud");                   // 5

        assertThat(r.config()).isNull();
        assertThat(r.errors()).extracting(ConfigProblem::line).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(r.errors()).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("rule.a.pool", "rule.a.cpus", "rule.b.cpus", "rule.b.strategy", "log");
    }

    /** Each of these breaks an otherwise valid config; none may yield a partial one. */
    @ParameterizedTest
    @ValueSource(strings = {
        "rule.bad.cpus = 2-x\nrule.bad.pool = thread-pool",
        "rule.bad.pool = nope\nrule.bad.cpus = 1",
        "rule.bad.cpus = 1",
        "rule.bad.pool = thread-pool",
        "rule.bad.cpus = 9\nrule.bad.pool = thread-pool",
        "rule.good.cpus = 3",
        "rule.bad.strategy = hot\nrule.bad.pool = thread-pool\nrule.bad.cpus = 1",
        "rule.bad.pool-class = a..b\nrule.bad.cpus = 1",
        "rule.bad.selector = x",
        "unknown = 1",
        "on-error = maybe",
        "log = loud",
        "\\u0000 = \\",
        "= value",
    })
    void anyErrorMeansNoConfigAtAll(String breakage) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "rule.good.thread-name = good-*",
                "rule.good.cpus = 0-1",
                "rule.other.pool = common-pool",
                "rule.other.cpus = 2"));
        lines.add(breakage);

        ConfigLoader.Result r = load(lines.toArray(new String[0]));

        assertThat(r.errors()).as("errors for %s", breakage).isNotEmpty();
        assertThat(r.ok()).isFalse();
        assertThat(r.config()).isNull();
    }

    @Test
    void resultListsAreCopies() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 9");

        assertThat(r.problems()).isUnmodifiable();
    }
}
