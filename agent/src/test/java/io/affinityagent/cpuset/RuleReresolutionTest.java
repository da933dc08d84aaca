package io.affinityagent.cpuset;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.CpuContext;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import io.affinityagent.cpu.Topologies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CPU lists resolved again when the cpuset changes: the same config, as if the JVM had started in the new set. */
class RuleReresolutionTest {

    @TempDir
    Path dir;

    private AgentConfig load(CpuContext cpus, String... lines) throws IOException {
        Path file = dir.resolve("affinity.properties");
        Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        ConfigLoader.Result r = ConfigLoader.load(file, cpus, ConfigLoader.Overrides.NONE);
        assertThat(r.errors()).isEmpty();
        return r.config();
    }

    private static RuleChange change(RuleReresolution.Result r, String rule) {
        for (RuleChange c : r.changes()) {
            if (c.rule().equals(rule)) {
                return c;
            }
        }
        throw new AssertionError("no change for rule " + rule);
    }

    @Test
    void everyKindOfListFollowsTheNewCpuset() throws IOException {
        AgentConfig c = load(CpuContext.of(CpuSet.range(0, 7)),
                "rules = hot, batch, rest, tail",
                "rule.hot.thread-name = hot-*", "rule.hot.cpus = +0-1",
                "rule.batch.pool = thread-pool", "rule.batch.cpus = 4-7",
                "rule.rest.pool = common-pool", "rule.rest.cpus = all,!+0",
                "rule.rest.share-cpus = true",
                "rule.tail.pool = fork-join", "rule.tail.cpus = 2-3", "rule.tail.share-cpus = true");

        RuleReresolution.Result r = RuleReresolution.resolve(c, CpuContext.of(CpuSet.range(2, 5)));

        assertThat(r.config().processCpus()).isEqualTo(CpuSet.range(2, 5));
        assertThat(r.config().rule("hot").cpus()).isEqualTo(CpuSet.range(2, 3));     // positions move with the set
        assertThat(r.config().rule("batch").cpus()).isEqualTo(CpuSet.range(4, 5));   // numbers are kept where they still are
        assertThat(r.config().rule("rest").cpus()).isEqualTo(CpuSet.range(3, 5));    // all minus the new first
        assertThat(r.config().rule("tail").cpus()).isEqualTo(CpuSet.range(2, 3));
        assertThat(change(r, "batch").lost()).isEqualTo(CpuSet.range(6, 7));
        assertThat(change(r, "batch").gained()).isEqualTo(CpuSet.empty());
        assertThat(change(r, "tail").changed()).isFalse();
        assertThat(change(r, "hot").before()).isEqualTo(CpuSet.range(0, 1));
        assertThat(r.changes()).extracting(RuleChange::hasNoCpuLeft).containsOnly(false);
        // the rest of the config is kept
        assertThat(r.config().cpusetWatchMillis()).isEqualTo(c.cpusetWatchMillis());
        assertThat(r.config().rule("batch").strategy()).isEqualTo(c.rule("batch").strategy());
    }

    @Test
    void aRuleLeftWithNoCpuGetsTheNewProcessSetAndIsReported() throws IOException {
        AgentConfig c = load(CpuContext.of(CpuSet.range(0, 7)),
                "rule.batch.pool = thread-pool", "rule.batch.cpus = 6-7",
                "rule.far.thread-name = far-*", "rule.far.cpus = +7");

        RuleReresolution.Result r = RuleReresolution.resolve(c, CpuContext.of(CpuSet.range(2, 5)));

        RuleChange batch = change(r, "batch");
        assertThat(batch.hasNoCpuLeft()).isTrue();
        assertThat(batch.after()).isEqualTo(CpuSet.range(2, 5));
        assertThat(batch.noCpuReason()).contains("'6-7' names no CPU of 2-5");
        assertThat(r.config().rule("batch").cpus()).isEqualTo(CpuSet.range(2, 5));
        RuleChange far = change(r, "far");
        assertThat(far.hasNoCpuLeft()).isTrue();
        assertThat(far.noCpuReason()).contains("position +7 is past the 4 CPUs");
    }

    @Test
    void growingBackRestoresTheOriginalPlan() throws IOException {
        CpuContext start = CpuContext.of(CpuSet.range(0, 1));
        AgentConfig c = load(start, "rule.rr.pool = thread-pool", "rule.rr.cpus = all");

        RuleReresolution.Result shrunk = RuleReresolution.resolve(c, CpuContext.of(CpuSet.of(1)));
        RuleReresolution.Result grown = RuleReresolution.resolve(shrunk.config(), start);

        assertThat(change(shrunk, "rr").lost()).isEqualTo(CpuSet.of(0));
        assertThat(change(grown, "rr").gained()).isEqualTo(CpuSet.of(0));
        assertThat(grown.config().rule("rr").cpus()).isEqualTo(c.rule("rr").cpus());
        assertThat(grown.config().processCpus()).isEqualTo(c.processCpus());
    }

    @Test
    void reservedIsResolvedAgainToo() throws IOException {
        AgentConfig c = load(CpuContext.of(CpuSet.range(0, 7)),
                "reserved = +0", "rule.all.pool = thread-pool", "rule.all.cpus = all");

        RuleReresolution.Result r = RuleReresolution.resolve(c, CpuContext.of(CpuSet.range(4, 7)));

        assertThat(r.config().reserved()).isEqualTo(CpuSet.of(4));
        assertThat(r.config().rule("all").cpus()).isEqualTo(CpuSet.range(5, 7));
    }

    @Test
    void aRuleWhoseEveryCpuIsNowReservedFallsBackAndSaysWhy() throws IOException {
        AgentConfig c = load(CpuContext.of(CpuSet.range(0, 7)),
                "reserved = +0", "rule.one.pool = thread-pool", "rule.one.cpus = 4");

        RuleReresolution.Result r = RuleReresolution.resolve(c, CpuContext.of(CpuSet.range(4, 7)));

        assertThat(change(r, "one").hasNoCpuLeft()).isTrue();
        assertThat(change(r, "one").noCpuReason()).contains("is reserved");
        assertThat(r.config().rule("one").cpus()).isEqualTo(CpuSet.range(4, 7));
    }

    @Test
    void nodeListsAreResolvedWithTheNewLayout() throws IOException {
        CpuTopology machine = Topologies.fourNodesSixteenCores();
        AgentConfig c = load(CpuContext.of(CpuSet.range(0, 63), machine),
                "rule.n1.pool = thread-pool", "rule.n1.cpus = node:1",
                "rule.n3.thread-name = x-*", "rule.n3.cpus = node:3");
        CpuSet now = CpuSet.range(8, 40); // half of node 0, all of node 1, half of node 2, none of node 3

        RuleReresolution.Result r = RuleReresolution.resolve(c, CpuContext.of(now, machine.restrictTo(now)));

        assertThat(r.config().rule("n1").cpus()).isEqualTo(CpuSet.range(16, 31));
        assertThat(change(r, "n1").changed()).isFalse();
        assertThat(change(r, "n3").hasNoCpuLeft()).isTrue();
        assertThat(change(r, "n3").noCpuReason()).contains("there is no NUMA node 3");
        assertThat(r.config().topology().nodes()).containsExactly(0, 1, 2);
    }

    @Test
    void positionsPastTheEndAreANote() throws IOException {
        AgentConfig c = load(CpuContext.of(CpuSet.range(0, 7)), "rule.a.pool = thread-pool", "rule.a.cpus = +2-5");

        RuleReresolution.Result r = RuleReresolution.resolve(c, CpuContext.of(CpuSet.range(0, 3)));

        assertThat(r.config().rule("a").cpus()).isEqualTo(CpuSet.range(2, 3));
        assertThat(r.notes()).singleElement().asString().contains("rule a:", "only +2-3 are used");
    }
}
