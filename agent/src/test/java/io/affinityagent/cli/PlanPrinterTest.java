package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.ConfigProblem;
import io.affinityagent.config.CpuContext;
import io.affinityagent.config.PropertiesFile;
import io.affinityagent.cpu.CpuSet;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanPrinterTest {

    private static ConfigLoader.Result load(CpuSet machine, String... lines) {
        List<ConfigProblem> problems = new ArrayList<>();
        PropertiesFile file = PropertiesFile.parse(Paths.get("/etc/affinity.properties"), String.join("\n", lines),
                problems);
        return ConfigLoader.load(file, CpuContext.of(machine), ConfigLoader.Overrides.NONE, problems);
    }

    @Test
    void exclusiveRulesAndTheCpusetWatchAreSaid() {
        ConfigLoader.Result result = load(CpuSet.range(0, 3),
                "rule.hot.thread-name = hot-*", "rule.hot.cpus = +0-1", "rule.hot.exclusive = true",
                "rule.cold.pool = thread-pool", "rule.cold.cpus = +2-3", "rule.cold.exclusive = true",
                "rule.cold.when-held = unpinned", "lock-dir = /var/run/affinity-locks", "cpuset-watch = 250ms");
        assertThat(PlanPrinter.print(result.config())).endsWith(""
                + "  Locked host-wide, against other JVMs and OpenHFT's AffinityLock: the CPUs of hot (when held: wait),"
                + " cold (when held: unpinned); lock files in /var/run/affinity-locks.\n"
                + "  The plan is made again when the process's CPUs change (looked at every 250ms).\n");
        ConfigLoader.Result off = load(CpuSet.range(0, 3), "rule.a.pool = thread-pool", "rule.a.cpus = 0",
                "rule.a.exclusive = true", "cpuset-watch = off");
        assertThat(PlanPrinter.print(off.config())).endsWith("lock files in the JVM's java.io.tmpdir (OpenHFT's default).\n"
                + "  cpuset-watch = off: a change of the process's CPUs is not followed.\n");
    }

    @Test
    void eachRuleShowsWhatItAskedAndWhatItGetsOnTheseCpus() {
        ConfigLoader.Result result = load(CpuSet.range(0, 3),
                "rules = orders, batch, common",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = 2-3,6",
                "rule.batch.pool = thread-pool",
                "rule.batch.cpus = all,!0",
                "rule.batch.strategy = shared",
                "rule.batch.share-cpus = true",
                "rule.common.pool = common-pool",
                "rule.common.cpus = +0");

        String plan = PlanPrinter.print(result.config());

        assertThat(plan).isEqualTo(""
                + "  RULE    MATCHES              CPUS ASKED  CPUS HERE  STRATEGY     EACH WORKER GETS\n"
                + "  orders  thread-name=order-*  2-3,6       2-3        round-robin  one CPU of 2-3, the least loaded\n"
                + "  batch   pool=thread-pool     all,!0      1-3        shared       all of CPUs 1-3\n"
                + "  common  pool=common-pool     +0          0          round-robin  CPU 0\n"
                + "  A worker gets the first rule that matches it, in this order; workers no rule matches are left alone.\n"
                + "  The plan is made again when the process's CPUs change (looked at every 1s).\n");
        assertThat(result.problems()).singleElement().satisfies(p ->
                assertThat(CheckCommand.lintLine(p)).isEqualTo("/etc/affinity.properties:3: warning: rule.orders.cpus:"
                        + " CPUs 6 are not available to this process (it may use 0-3); the rule uses 2-3"));
    }

    @Test
    void problemsAreListedLikeALinterInFileOrder() {
        ConfigLoader.Result result = load(CpuSet.range(0, 1),
                "rules = orders, missing",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpu = 1");

        List<String> lines = new ArrayList<>();
        for (ConfigProblem p : CheckCommand.byLine(result.problems())) {
            lines.add(CheckCommand.lintLine(p));
        }

        assertThat(result.ok()).isFalse();
        assertThat(lines).containsExactly(
                "/etc/affinity.properties:1: error: rules: lists 'missing' but there is no rule.missing.* key",
                "/etc/affinity.properties:2: error: rule.orders.cpus: is missing; every rule needs its CPUs,"
                        + " e.g. rule.orders.cpus = 2-3",
                "/etc/affinity.properties:3: error: rule.orders.cpu: unknown rule key 'cpu'; expected one of thread-name,"
                        + " pool, pool-class, cpus, strategy, share-cpus, exclusive, when-held; did you mean 'cpus'?");
    }
}
