package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import io.affinityagent.cpu.Topologies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config keys of topology-aware placement: topology, reserved, share-cpus, any-thread, new strategies. */
class ConfigLoaderTopologyTest {

    @TempDir
    Path dir;

    private static final CpuTopology TWO_SOCKETS = Topologies.twoSocketsEightCoresTwoThreads();
    private static final CpuContext WHOLE_MACHINE = CpuContext.of(TWO_SOCKETS.cpus(), TWO_SOCKETS);

    private ConfigLoader.Result load(CpuContext cpus, String... lines) {
        return load(cpus, ConfigLoader.Target.THIS_PROCESS, lines);
    }

    private ConfigLoader.Result load(CpuContext cpus, ConfigLoader.Target target, String... lines) {
        try {
            Path file = dir.resolve("affinity.properties");
            Files.write(file, List.of(lines));
            return ConfigLoader.load(file, cpus, ConfigLoader.Overrides.NONE, target);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The problems as printed, with the test folder left out of file names. */
    private List<String> messages(ConfigLoader.Result r) {
        List<String> out = new ArrayList<>();
        for (ConfigProblem p : r.problems()) {
            out.add((p.isError() ? "error: " : "warning: ") + p.toString().replace(dir.toString() + "/", ""));
        }
        return out;
    }

    // ---- reserved

    @Test
    void reservedCpusAreLeftOutOfAllNodeAndSocketWithoutAWord() {
        ConfigLoader.Result r = load(WHOLE_MACHINE,
                "reserved = 0,16",
                "rule.hot.thread-name = hot-*",
                "rule.hot.cpus = socket:0",
                "rule.rest.thread-name = rest-*",
                "rule.rest.cpus = all,!socket:0");

        assertThat(messages(r)).isEmpty();
        assertThat(r.config().reserved()).isEqualTo(CpuSet.of(0, 16));
        assertThat(r.config().rule("hot").cpus()).isEqualTo(CpuSet.of(1, 2, 3, 4, 5, 6, 7).union(CpuSet.range(17, 23)));
    }

    @Test
    void aReservedCpuNamedByARuleIsDroppedWithAWarning() {
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 3)),
                "reserved = +0",
                "rule.hot.thread-name = hot-*",
                "rule.hot.cpus = 0-1");

        assertThat(r.ok()).isTrue();
        assertThat(r.config().rule("hot").cpus()).isEqualTo(CpuSet.of(1));
        assertThat(messages(r)).containsExactly(
                "warning: affinity.properties:3: rule.hot.cpus: CPU 0 is reserved (reserved, line 1); the rule uses 1");
    }

    @Test
    void aRuleLeftWithNoCpuByReservedIsAnError() {
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 1)),
                "reserved = 1",
                "rule.hot.thread-name = hot-*",
                "rule.hot.cpus = 1");

        assertThat(r.ok()).isFalse();
        assertThat(messages(r)).containsExactly("error: affinity.properties:3: rule.hot.cpus: every CPU of the rule (1) is"
                + " reserved (reserved = 1, line 1); the rule would have none");
    }

    @Test
    void aBadReservedListIsNamed() {
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 1)),
                "reserved = 0-",
                "rule.hot.thread-name = hot-*",
                "rule.hot.cpus = 1");

        assertThat(messages(r)).containsExactly("error: affinity.properties:1: reserved: '0-' in '0-': expected a CPU"
                + " number (0-8191), found ''");
    }

    // ---- overlap

    @Test
    void rulesSharingCpusAreWarnedAboutNamingBothAndTheCpus() {
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 7)),
                "rule.a.thread-name = a-*",
                "rule.a.cpus = 0-3",
                "rule.b.thread-name = b-*",
                "rule.b.cpus = 4-7",
                "rule.c.pool = common-pool",
                "rule.c.cpus = 2-5");

        assertThat(r.ok()).isTrue();
        assertThat(messages(r)).containsExactly(
                "warning: affinity.properties:6: rule.c.cpus: shares CPUs 2-3 with rule a (rule.a.cpus, line 2): workers"
                        + " of both rules will compete for them; if that is intended, set rule.c.share-cpus = true",
                "warning: affinity.properties:6: rule.c.cpus: shares CPUs 4-5 with rule b (rule.b.cpus, line 4): workers"
                        + " of both rules will compete for them; if that is intended, set rule.c.share-cpus = true");
    }

    @Test
    void shareCpusOnEitherRuleSilencesTheOverlap() {
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 7)),
                "rule.a.thread-name = a-*",
                "rule.a.cpus = 0-3",
                "rule.a.share-cpus = true",
                "rule.b.thread-name = b-*",
                "rule.b.cpus = all");

        assertThat(messages(r)).isEmpty();
        assertThat(r.config().rule("a").shareCpus()).isTrue();
        assertThat(r.config().rule("b").shareCpus()).isFalse();
    }

    @Test
    void shareCpusTakesTrueOrFalse() {
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 7)),
                "rule.a.thread-name = a-*",
                "rule.a.cpus = 0-3",
                "rule.a.share-cpus = yes");

        assertThat(messages(r)).containsExactly(
                "error: affinity.properties:3: rule.a.share-cpus: 'yes' is not valid; expected true | false");
    }

    // ---- any-thread

    @Test
    void anyThreadRulesMatchPlainThreadsByNameAndPoolRulesDoNot() {
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 3)),
                "rules = web, pools",
                "rule.web.pool = any-thread",
                "rule.web.thread-name = qtp*",
                "rule.web.cpus = 0-1",
                "rule.pools.thread-name = *",
                "rule.pools.cpus = 2-3");

        assertThat(messages(r)).isEmpty();
        Rule web = r.config().rule("web");
        Rule pools = r.config().rule("pools");
        assertThat(web.matches("qtp123-45", PoolKind.ANY_THREAD, null)).isTrue();
        assertThat(web.matches("qtp123-45", PoolKind.THREAD_POOL, java.util.concurrent.ThreadPoolExecutor.class)).isFalse();
        assertThat(web.matches("main-loop", PoolKind.ANY_THREAD, null)).isFalse();
        // A rule without pool covers every pool kind, but not threads that belong to no pool.
        assertThat(pools.matches("qtp123-45", PoolKind.ANY_THREAD, null)).isFalse();
        assertThat(pools.matches("x", PoolKind.FORK_JOIN, java.util.concurrent.ForkJoinPool.class)).isTrue();
    }

    @Test
    void anyThreadNeedsAThreadNameAndTakesNoPoolClass() {
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 3)),
                "rule.web.pool = any-thread",
                "rule.web.pool-class = org.example.Pool",
                "rule.web.cpus = 0-1");

        assertThat(messages(r)).containsExactly(
                "error: affinity.properties:1: rule.web.pool: any-thread matches threads by name; give"
                        + " rule.web.thread-name too (a glob such as qtp*)",
                "error: affinity.properties:2: rule.web.pool-class: cannot be used with pool = any-thread: such threads"
                        + " belong to no j.u.c. pool");
    }

    // ---- strategies and the topology

    @Test
    void newStrategiesAreKnown() {
        ConfigLoader.Result r = load(WHOLE_MACHINE,
                "rule.a.thread-name = a-*", "rule.a.cpus = socket:0", "rule.a.strategy = spread",
                "rule.b.thread-name = b-*", "rule.b.cpus = socket:1", "rule.b.strategy = per-core",
                "rule.c.thread-name = c-*", "rule.c.cpus = 0", "rule.c.strategy = compact", "rule.c.share-cpus = true",
                "rule.d.thread-name = d-*", "rule.d.cpus = 1", "rule.d.strategy = closest");

        assertThat(messages(r)).containsExactly("error: affinity.properties:13: rule.d.strategy: 'closest' is not a"
                + " strategy; expected round-robin | shared | spread | compact | per-core");
    }

    @Test
    void theTopologyIsReadOnlyWhenARuleNeedsIt() {
        AtomicInteger reads = new AtomicInteger();
        CpuContext counting = new CpuContext() {
            @Override
            public CpuSet allowed() {
                return TWO_SOCKETS.cpus();
            }

            @Override
            public CpuTopology topology() {
                reads.incrementAndGet();
                return TWO_SOCKETS;
            }
        };
        ConfigLoader.Result plain = load(counting, "rule.a.thread-name = a-*", "rule.a.cpus = all,!0");
        assertThat(reads).hasValue(0);
        assertThat(plain.config().topology().fromHardware()).isFalse();

        ConfigLoader.Result spread = load(counting, "rule.a.thread-name = a-*", "rule.a.cpus = 0-3",
                "rule.a.strategy = spread");
        assertThat(reads.get()).isPositive();
        assertThat(spread.config().topology()).isSameAs(TWO_SOCKETS);
    }

    @Test
    void anUnreadableTopologyIsAWarningWhenARuleNeedsIt() {
        CpuContext unreadable = new CpuContext() {
            @Override
            public CpuSet allowed() {
                return CpuSet.range(0, 1);
            }

            @Override
            public CpuTopology topology() {
                return CpuTopology.flat(allowed(), "unknown topology");
            }

            @Override
            public String topologyProblem() {
                return "cannot read the CPU topology (/sys/devices/system/cpu/cpu0/topology/thread_siblings_list: no such"
                        + " file)";
            }
        };
        ConfigLoader.Result r = load(unreadable, "rule.a.thread-name = a-*", "rule.a.cpus = all", "rule.a.strategy = per-core");

        assertThat(r.ok()).isTrue();
        assertThat(messages(r)).containsExactly("warning: affinity.properties: cannot read the CPU topology"
                + " (/sys/devices/system/cpu/cpu0/topology/thread_siblings_list: no such file); spread, compact, per-core,"
                + " node: and socket: take every CPU as a core of its own, on socket 0 and node 0");
    }

    @Test
    void nodeAndSocketErrorsNameTheLineAndKey() {
        ConfigLoader.Result r = load(WHOLE_MACHINE, "rule.a.thread-name = a-*", "rule.a.cpus = node:3");

        assertThat(messages(r)).containsExactly("error: affinity.properties:2: rule.a.cpus: 'node:3': there is no NUMA"
                + " node 3 among the CPUs this process may use (nodes 0-1 in 2 sockets x 8 cores x 2 threads)");
    }

    // ---- topology = FILE

    private void twoSocketFile(String name) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        for (int cpu = 0; cpu < 8; cpu++) {
            lines.add("cpu=" + cpu + " core=" + (cpu % 4 % 2) + " socket=" + (cpu % 4 / 2) + " node=" + (cpu % 4 / 2));
        }
        Files.write(dir.resolve(name), lines); // 2 sockets x 2 cores x 2 threads; CPU c+4 is c's sibling
    }

    @Test
    void aTopologyFileReplacesTheMachinesLayoutForThisProcess() throws Exception {
        twoSocketFile("server.topology");
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 1)),
                "topology = server.topology",
                "rule.a.thread-name = a-*",
                "rule.a.cpus = all",
                "rule.a.strategy = per-core");

        assertThat(messages(r)).isEmpty();
        assertThat(r.config().topology().cpus()).isEqualTo(CpuSet.range(0, 1));
        assertThat(r.config().topology().socketOf(1)).isZero();
        assertThat(r.config().rule("a").cpus()).isEqualTo(CpuSet.range(0, 1));
    }

    @Test
    void cpusOfThisProcessThatTheFileDoesNotDescribeAreLeftOut() throws Exception {
        twoSocketFile("server.topology");
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 9)),
                "topology = server.topology",
                "rule.a.thread-name = a-*",
                "rule.a.cpus = all");

        assertThat(r.config().rule("a").cpus()).isEqualTo(CpuSet.range(0, 7));
        assertThat(messages(r)).containsExactly("warning: affinity.properties:1: topology: CPUs 8-9 that this process may"
                + " use are not in server.topology; no rule uses them");
    }

    @Test
    void planningForTheFilesMachineUsesEveryCpuOfIt() throws Exception {
        twoSocketFile("server.topology");
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 1)), ConfigLoader.Target.TOPOLOGY_FILE,
                "topology = server.topology",
                "rule.a.thread-name = a-*",
                "rule.a.cpus = socket:1");

        assertThat(messages(r)).isEmpty();
        assertThat(r.config().processCpus()).isEqualTo(CpuSet.range(0, 7));
        assertThat(r.config().rule("a").cpus()).isEqualTo(CpuSet.of(2, 3, 6, 7));
    }

    @Test
    void problemsInTheTopologyFileAreNamedThere() throws Exception {
        Files.write(dir.resolve("bad.topology"), List.of("cpu=0 core=0 socket=0", "cpu=1 core=0 sockett=0"));
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 1)),
                "rule.a.thread-name = a-*",
                "rule.a.cpus = all",
                "topology = bad.topology");

        assertThat(r.ok()).isFalse();
        assertThat(messages(r)).containsExactly(
                "error: bad.topology:2: sockett: unknown key; expected cpu, core, socket or node; did you mean 'socket'?",
                "error: affinity.properties:3: topology: 'bad.topology' is not a usable topology file (see above)");
    }

    @Test
    void aMissingTopologyFileIsAnError() {
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 1)),
                "topology = /no/such.topology", "rule.a.thread-name = a-*", "rule.a.cpus = all");

        assertThat(messages(r)).containsExactly(
                "error: /no/such.topology: no such file",
                "error: affinity.properties:1: topology: '/no/such.topology' is not a usable topology file (see above)");
    }

    @Test
    void misspelledTopLevelKeysGetASuggestion() {
        ConfigLoader.Result r = load(CpuContext.of(CpuSet.range(0, 1)),
                "reserve = 0", "rule.a.thread-name = a-*", "rule.a.cpus = all", "rule.a.share-cpu = true");

        assertThat(messages(r)).hasSize(2);
        assertThat(messages(r).get(0)).contains("affinity.properties:1: reserve: unknown key").endsWith("did you mean 'reserved'?");
        assertThat(messages(r).get(1)).contains("rule.a.share-cpu: unknown rule key 'share-cpu'")
                .endsWith("did you mean 'share-cpus'?");
    }
}
