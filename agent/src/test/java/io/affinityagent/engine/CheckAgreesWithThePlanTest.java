package io.affinityagent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.CpuContext;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.placement.Placement;
import io.affinityagent.placement.PlanExplanation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code check}'s rule table and its worker lines against each other and against the engine's
 * own plan, on made-up two-socket, hyper-threaded machines, for every strategy (and an exclusive
 * rule), with a rule that shares the others' CPUs on purpose: every CPU a worker line names is
 * within what the table says the rule's workers get, and the worker lines are what the plan's
 * placements hand out to workers 1..n started rule after rule.
 */
class CheckAgreesWithThePlanTest {

    private static final Pattern WORKER = Pattern.compile("^\\s+(?:worker\\s+\\d+|every worker) -> CPUs? ([0-9,-]+)");
    private static final Pattern RULE = Pattern.compile("^rule (\\S+) ");
    private static final Pattern TABLE_CPUS = Pattern.compile("^(?:all of CPUs |CPUs? |the CPUs of one core of |one CPU of )([0-9,-]+)");
    private static final Pattern FIRST = Pattern.compile("\\(first: ([0-9,-]+)\\)");

    @TempDir
    Path dir;

    /** {@code cpus} CPUs on two sockets (one for 8), two hardware threads per core: CPU N's sibling is N + cpus/2. */
    private Path machine(int cpus) throws IOException {
        int cores = cpus / 2;
        int sockets = cpus >= 64 ? 2 : 1;
        List<String> lines = new ArrayList<>();
        for (int cpu = 0; cpu < cpus; cpu++) {
            int core = cpu % cores;
            int socket = core / (cores / sockets);
            lines.add("cpu=" + cpu + " core=" + core + " socket=" + socket + " node=" + socket);
        }
        Path file = dir.resolve("m" + cpus + ".topology");
        Files.write(file, lines);
        return file;
    }

    private PlanExplanation check(Path topology, String... rules) throws IOException {
        List<String> lines = new ArrayList<>(List.of("topology = " + topology.getFileName(), "reserved = 0"));
        lines.addAll(List.of(rules));
        Path file = dir.resolve("affinity.properties");
        Files.write(file, lines);
        ConfigLoader.Result r = ConfigLoader.load(file, CpuContext.of(CpuSet.range(0, 1)), ConfigLoader.Overrides.NONE,
                ConfigLoader.Target.TOPOLOGY_FILE);
        assertThat(r.errors()).as("config errors").isEmpty();
        return new PlanExplanation(r.config());
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 64, 256})
    void theTableTheWorkerLinesAndThePlanAgreeForEveryStrategy(int cpus) throws IOException {
        Path topology = machine(cpus);
        List<String> kinds = new ArrayList<>();
        for (Strategy s : Strategy.values()) {
            kinds.add(s.configName());
        }
        kinds.add("exclusive");
        for (String first : kinds) {
            for (Strategy second : Strategy.values()) {
                boolean exclusive = first.equals("exclusive");
                PlanExplanation plan = check(topology,
                        "rules = hot, near, rest",
                        "rule.hot.thread-name = hot-*",
                        "rule.hot.cpus = socket:0",
                        "rule.hot.strategy = " + (exclusive ? "round-robin" : first),
                        "rule.hot.exclusive = " + exclusive,
                        "rule.near.thread-name = near-*",
                        "rule.near.cpus = socket:0",
                        "rule.near.strategy = " + second.configName(),
                        "rule.near.share-cpus = true",
                        "rule.rest.thread-name = *",
                        "rule.rest.cpus = 1-3",
                        "rule.rest.strategy = compact",
                        "rule.rest.share-cpus = true");
                for (int workers : new int[] {0, 3}) {
                    String what = cpus + " CPUs, hot " + first + ", near " + second.configName() + ", workers " + workers;
                    agree(plan.withWorkers(workers), what);
                }
            }
        }
    }

    /** Table within itself, worker lines within the table, worker lines as the plan's placements hand out. */
    private static void agree(PlanExplanation plan, String what) {
        Map<String, List<CpuSet>> lines = workerLines(plan.lines());
        Plan engine = Plan.of(plan.config());
        for (Plan.RulePlacement rp : engine.rules()) {
            Rule rule = rp.rule();
            String words = plan.eachWorkerGets(rule);
            Matcher table = TABLE_CPUS.matcher(words);
            assertThat(table.find()).as("%s: rule %s's table cell '%s' names its CPUs", what, rule.name(), words).isTrue();
            CpuSet promised = cpus(table.group(1));
            List<CpuSet> shown = lines.get(rule.name());
            assertThat(shown).as("%s: rule %s has worker lines", what, rule.name()).isNotEmpty();
            for (CpuSet mask : shown) {
                assertThat(promised.containsAll(mask)).as("%s: rule %s: worker on %s, table says '%s'", what, rule.name(),
                        mask, words).isTrue();
            }
            Matcher first = FIRST.matcher(words);
            if (first.find()) {
                assertThat(cpus(first.group(1))).as("%s: rule %s's first core", what, rule.name()).isEqualTo(shown.get(0));
            }
            List<CpuSet> handed = new ArrayList<>();
            Placement placement = rp.placement();
            int n = rule.strategy() == Strategy.SHARED ? 1 : plan.shown(rule);
            for (int i = 0; i < n; i++) {
                handed.add(placement.acquire().mask());
            }
            assertThat(shown).as("%s: rule %s's worker lines against the engine's placement", what, rule.name())
                    .isEqualTo(handed);
        }
    }

    /** Each rule's worker masks, from check's worker lines. */
    private static Map<String, List<CpuSet>> workerLines(List<String> lines) {
        Map<String, List<CpuSet>> out = new LinkedHashMap<>();
        String rule = null;
        for (String line : lines) {
            Matcher r = RULE.matcher(line);
            Matcher w = WORKER.matcher(line);
            if (r.find()) {
                rule = r.group(1);
                out.put(rule, new ArrayList<>());
            } else if (w.find()) {
                out.get(rule).add(cpus(w.group(1)));
            }
        }
        return out;
    }

    private static CpuSet cpus(String list) {
        CpuSet.Builder b = CpuSet.builder();
        for (String item : list.split(",")) {
            String[] ends = item.split("-");
            b.addRange(Integer.parseInt(ends[0]), Integer.parseInt(ends[ends.length - 1]), 1);
        }
        return b.build();
    }
}
