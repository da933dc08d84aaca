package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.os.ProcFs;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code check FILE}, run as a user runs it: a linter's output and exit status, and the plan. */
class CheckIT {

    @TempDir
    Path dir;

    @Test
    void aGoodConfigIsValidAndItsPlanShowsWhatEachRuleGetsHere() throws Exception {
        String here = ProcFs.system().selfAllowedCpus().toString(); // what the command line may use: ours
        String one = Integer.toString(TwoCpus.first()); // a CPU it may use, and one no machine here has
        String asked = one + ",4095";
        int askedWidth = Math.max("CPUS ASKED".length(), asked.length());
        int hereWidth = Math.max("CPUS HERE".length(), here.length());
        Path config = Configs.write(dir,
                "rules = orders, batch",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + asked,
                "rule.batch.pool = thread-pool",
                "rule.batch.cpus = all",
                "rule.batch.strategy = shared",
                "rule.batch.share-cpus = true");

        AgentCli.Result check = AgentCli.run("check", config.toString());

        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.stderr()).isEmpty();
        assertThat(check.stdout()).startsWith(""
                + config + ":3: warning: rule.orders.cpus: CPUs 4095 are not available to this process (it may use "
                + here + "); the rule uses " + one + "\n"
                + config + ": valid, 2 rules, 1 warning; the plan on CPUs " + here + " (this machine):\n"
                + "\n"
                + "  RULE    MATCHES              " + pad("CPUS ASKED", askedWidth) + "  " + pad("CPUS HERE", hereWidth)
                + "  STRATEGY     EACH WORKER GETS\n"
                + "  orders  thread-name=order-*  " + pad(asked, askedWidth) + "  " + pad(one, hereWidth)
                + "  round-robin  CPU " + one + "\n"
                + "  batch   pool=thread-pool     " + pad("all", askedWidth) + "  " + pad(here, hereWidth)
                + "  shared       " + (here.equals(one) ? "CPU " : "all of CPUs ") + here + "\n"
                + "  A worker gets the first rule that matches it, in this order; workers no rule matches are left"
                + " alone.\n"
                + "  The plan is made again when the process's CPUs change (looked at every 1s).\n"
                + "\n"
                + "Worker by worker, as they start, rule after rule in this order (none exiting):\n");
        // The layout of this machine follows each line (cores, sockets): compare what comes before.
        String preview = check.stdout().substring(check.stdout().indexOf("Worker by worker"));
        assertThat(preview.split("\n")).filteredOn(l -> !l.startsWith("  topology: ")).satisfiesExactly(
                l -> assertThat(l).startsWith("Worker by worker"),
                l -> assertThat(l).startsWith("  rule orders (thread-name=order-*): round-robin over CPUs " + one),
                l -> assertThat(l).startsWith("    worker 1 -> CPU " + one + " "),
                l -> assertThat(l).startsWith("  rule batch (pool=thread-pool): shared over CPUs " + here),
                l -> assertThat(l).isEqualTo("    every worker -> CPUs " + here),
                l -> assertThat(l).isEmpty(),
                l -> assertThat(l).isEqualTo("Pinning on this machine (" + System.getProperty("os.arch")
                        + "): through native helper linux-" + System.getProperty("os.arch")));
    }

    /** A table cell: the text, padded to the column's width. */
    private static String pad(String text, int width) {
        return String.format("%-" + width + "s", text);
    }

    @Test
    void anotherMachinesCpusCanBeGiven() {
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = 8-11");

        AgentCli.Result check = AgentCli.run("check", config.toString(), "--cpus", "0-15");

        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.stdout()).contains("the plan on CPUs 0-15 (--cpus)", "one CPU of 8-11, the least loaded");
    }

    /** A config that breaks, the line and key the error names, words of the message. */
    static Stream<Arguments> badConfigs() {
        return Stream.of(
                Arguments.of("malformed cpus", new String[] {"rule.o.thread-name = order-*", "rule.o.cpus = 2-x"},
                        2, "rule.o.cpus", "expected a CPU number"),
                Arguments.of("reversed range", new String[] {"rule.o.thread-name = order-*", "rule.o.cpus = 1-0"},
                        2, "rule.o.cpus", "reversed range"),
                Arguments.of("unknown key", new String[] {"rule.o.thread-name = order-*", "rule.o.cpus = 0",
                    "rule.o.cpu = 1"}, 3, "rule.o.cpu", "did you mean 'cpus'"),
                Arguments.of("unknown strategy", new String[] {"rule.o.thread-name = order-*", "rule.o.cpus = 0",
                    "rule.o.strategy = spiral"}, 3, "rule.o.strategy", "not a strategy"),
                Arguments.of("unknown pool kind", new String[] {"rule.o.pool = threadpool", "rule.o.cpus = 0"},
                        1, "rule.o.pool", "not a pool kind"),
                Arguments.of("no selector", new String[] {"rule.o.cpus = 0"}, 1, "rule.o", "has no selector"),
                Arguments.of("no cpus", new String[] {"rule.o.thread-name = order-*"}, 1, "rule.o.cpus", "is missing"),
                Arguments.of("no cpu available", new String[] {"rule.o.thread-name = order-*", "rule.o.cpus = 4000-4001"},
                        2, "rule.o.cpus", "is available to this process"),
                Arguments.of("rules lists a missing rule", new String[] {"rules = o, p", "rule.o.thread-name = order-*",
                    "rule.o.cpus = 0"}, 1, "rules", "lists 'p' but there is no rule.p.* key"),
                Arguments.of("key given twice", new String[] {"rule.o.thread-name = order-*", "rule.o.cpus = 0",
                    "rule.o.cpus = 1"}, 3, "rule.o.cpus", "is given twice (first on line 2)"),
                Arguments.of("unknown top-level key", new String[] {"on-eror = fail", "rule.o.thread-name = order-*",
                    "rule.o.cpus = 0"}, 1, "on-eror", "did you mean 'on-error'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void eachKindOfBadConfigIsOneLinterLineAndStatusOne(String what, String[] lines, int line, String key,
                                                        String words) {
        Path config = Configs.write(dir, lines);

        AgentCli.Result check = AgentCli.run("check", config.toString());

        assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
        assertThat(check.stdout().lines()).anySatisfy(l -> assertThat(l)
                .startsWith(config + ":" + line + ": error: " + key + ": ").contains(words));
        assertThat(check.stdout()).contains("; not a valid config\n").doesNotContain("RULE ");
        // After the count, only an error about CPUs this machine lacks says more: how to check for the real one.
        String after = check.stdout().substring(check.stdout().indexOf("; not a valid config\n") + 21);
        if (what.equals("no cpu available")) {
            assertThat(after).contains("give that machine's CPUs (--cpus 0-63)", "topology file");
        } else {
            assertThat(after).isEmpty();
        }
    }

    @Test
    void aMissingFileIsAnErrorOfTheFile() {
        Path missing = dir.resolve("nope.properties");

        AgentCli.Result check = AgentCli.run("check", missing.toString());

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.stdout()).startsWith(missing + ": error: no such file\n");
    }

    @Test
    void usageMistakesAreStatusTwoWithTheSynopsis() {
        AgentCli.Result none = AgentCli.run("check");
        AgentCli.Result unknown = AgentCli.run("chekc", "x");

        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.stderr()).contains("Missing required parameter: 'FILE'", "Usage: java -jar affinity-agent.jar check");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("Did you mean", "check");
    }

    @Test
    void helpAndVersionAreStatusZero() {
        AgentCli.Result help = AgentCli.run("--help");
        AgentCli.Result version = AgentCli.run("--version");

        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("attach", "status", "detach", "check", "Exit status: 0 done");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("affinity-agent ");
    }
}
