package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The keys for containers and shared hosts: cpuset-watch, lock-dir, rule.NAME.exclusive and when-held. */
class ConfigLoaderContainersTest {

    private static final CpuContext EIGHT_CPUS = CpuContext.of(CpuSet.range(0, 7));

    @TempDir
    Path dir;

    private Path file;

    private ConfigLoader.Result load(String... lines) throws IOException {
        file = dir.resolve("affinity.properties");
        Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        return ConfigLoader.load(file, EIGHT_CPUS, ConfigLoader.Overrides.NONE);
    }

    private ConfigProblem single(ConfigLoader.Result r, boolean error) {
        assertThat(r.problems()).as("problems").hasSize(1);
        ConfigProblem p = r.problems().get(0);
        assertThat(p.isError()).isEqualTo(error);
        assertThat(r.ok()).isEqualTo(!error);
        return p;
    }

    @Test
    void defaultsWatchEverySecondLockInTmpdirAndNoRuleExclusive() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 0-1");
        assertThat(r.problems()).isEmpty();
        AgentConfig c = r.config();
        assertThat(c.cpusetWatchMillis()).isEqualTo(1000);
        assertThat(c.lockDirectory()).isNull();
        assertThat(c.hasExclusiveRule()).isFalse();
        assertThat(c.rule("a").exclusive()).isFalse();
        assertThat(c.rule("a").whenHeld()).isEqualTo(WhenHeld.WAIT);
    }

    @ParameterizedTest
    @CsvSource({"1s,1000", "250ms,250", "off,0", "10ms,10", "3600s,3600000", " 2 s ,2000"})
    void cpusetWatchTakesADurationOrOff(String text, long millis) throws IOException {
        ConfigLoader.Result r = load("cpuset-watch = " + text, "rule.a.pool = thread-pool", "rule.a.cpus = 0-1");
        assertThat(r.problems()).isEmpty();
        assertThat(r.config().cpusetWatchMillis()).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "fast", "1m", "5ms", "3601s", "-1s", "1.5s", "", "on"})
    void aBadCpusetWatchIsAnErrorAtItsLine(String text) throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 0-1", "cpuset-watch = " + text);
        ConfigProblem p = single(r, true);
        assertThat(p.file()).isEqualTo(file);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.key()).isEqualTo("cpuset-watch");
        assertThat(p.message()).containsAnyOf("expected a duration", "expected a whole number", "out of range");
        assertThat(p.toString()).startsWith(file + ":3: cpuset-watch: ");
    }

    @Test
    void lockDirMustBeAbsolute() throws IOException {
        ConfigLoader.Result ok = load("lock-dir = /var/run/affinity-locks/", "rule.a.pool = thread-pool", "rule.a.cpus = 0");
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.config().lockDirectory()).isEqualTo(Paths.get("/var/run/affinity-locks"));

        ConfigLoader.Result bad = load("rule.a.pool = thread-pool", "rule.a.cpus = 0", "lock-dir = locks");
        ConfigProblem p = single(bad, true);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.key()).isEqualTo("lock-dir");
        assertThat(p.message()).contains("not an absolute path");
    }

    @Test
    void exclusiveAndWhenHeldAreReadPerRule() throws IOException {
        ConfigLoader.Result r = load(
                "rule.hot.thread-name = hot-*",
                "rule.hot.cpus = 2-3",
                "rule.hot.exclusive = true",
                "rule.hot.when-held = share",
                "rule.cold.pool = thread-pool",
                "rule.cold.cpus = 4-7",
                "rule.cold.exclusive = true");
        assertThat(r.problems()).isEmpty();
        AgentConfig c = r.config();
        assertThat(c.hasExclusiveRule()).isTrue();
        assertThat(c.rule("hot").exclusive()).isTrue();
        assertThat(c.rule("hot").whenHeld()).isEqualTo(WhenHeld.SHARE);
        assertThat(c.rule("cold").whenHeld()).isEqualTo(WhenHeld.WAIT);
    }

    @Test
    void badExclusiveAndWhenHeldValuesAreErrorsAtTheirLines() throws IOException {
        ConfigLoader.Result r = load(
                "rule.hot.thread-name = hot-*",
                "rule.hot.cpus = 2-3",
                "rule.hot.exclusive = yes",
                "rule.hot.when-held = block");
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).hasSize(2);
        assertThat(r.errors().get(0).toString()).startsWith(file + ":3: rule.hot.exclusive: 'yes' is not valid;"
                + " expected true | false");
        assertThat(r.errors().get(1).toString()).startsWith(file + ":4: rule.hot.when-held: 'block' is not valid;"
                + " expected wait | share | unpinned");
    }

    @Test
    void whenHeldWithoutExclusiveIsAWarning() throws IOException {
        ConfigLoader.Result r = load("rule.hot.thread-name = hot-*", "rule.hot.cpus = 2-3", "rule.hot.when-held = unpinned");
        ConfigProblem p = single(r, false);
        assertThat(p.line()).isEqualTo(3);
        assertThat(p.key()).isEqualTo("rule.hot.when-held");
        assertThat(p.message()).contains("has no effect without rule.hot.exclusive = true");
    }

    @Test
    void exclusiveCpusPastOpenHftsLimitAreAWarning() throws IOException {
        file = dir.resolve("big.properties");
        Files.write(file, "rule.a.pool = thread-pool\nrule.a.cpus = 250-259\nrule.a.exclusive = true\n"
                .getBytes(StandardCharsets.UTF_8));
        ConfigLoader.Result r = ConfigLoader.load(file, CpuContext.of(CpuSet.range(0, 299)), ConfigLoader.Overrides.NONE);
        ConfigProblem p = single(r, false);
        assertThat(p.line()).isEqualTo(2);
        assertThat(p.message()).contains("CPUs 256-259 cannot be locked host-wide");
    }

    @Test
    void unknownRuleKeySuggestsTheNewOnes() throws IOException {
        ConfigLoader.Result r = load("rule.a.pool = thread-pool", "rule.a.cpus = 0", "rule.a.exclusiv = true");
        ConfigProblem p = single(r, true);
        assertThat(p.message()).contains("exclusive, when-held").contains("did you mean 'exclusive'?");
    }

    @Test
    void theReservedListIsKeptAsWrittenForTheNextCpusetChange() throws IOException {
        ConfigLoader.Result r = load("reserved = +0", "rule.a.pool = thread-pool", "rule.a.cpus = all");
        assertThat(r.problems()).isEmpty();
        assertThat(r.config().reservedList().text()).isEqualTo("+0");
        assertThat(r.config().reserved()).isEqualTo(CpuSet.of(0));
        assertThat(r.config().rule("a").cpus()).isEqualTo(CpuSet.range(1, 7));
    }
}
