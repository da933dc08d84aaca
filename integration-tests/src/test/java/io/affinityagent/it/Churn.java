package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.os.ProcFs;
import io.affinityagent.registry.StatusPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Drives {@link io.affinityagent.it.apps.ChurnLab} in a target JVM with the agent, round after
 * round, and checks the agent against the application and the kernel at each quiet point:
 * shared by {@link ChurnIT} (CI) and {@link ChurnSoak} (on demand).
 *
 * <p>A round: new pools; churn until the round's deaths; the cached pools expire; a wave of fresh
 * workers on the cached pools; shut everything down; the heap after a full GC. At each quiet point
 * every rule's load equals its live workers (as /proc and the application count them), loads are
 * balanced, the published thread entries are exactly the live workers, each at the mask /proc
 * shows; after the shutdown nothing is left but the rules themselves.
 */
final class Churn {

    static final String[] CONFIG = {
        "rules = steady, elastic, wide",
        "rule.steady.thread-name = st?-*",
        "rule.steady.cpus = all",
        "rule.elastic.thread-name = el?-*",
        "rule.elastic.cpus = all",
        "rule.elastic.share-cpus = true",
        "rule.wide.thread-name = wd?-*",
        "rule.wide.cpus = all",
        "rule.wide.strategy = shared",
        "rule.wide.share-cpus = true",
    };
    static final List<String> RULES = List.of("steady", "elastic", "wide");
    /** The fixed pools of ChurnLab: 2 + 3 + 4 + 5 workers. */
    static final int STEADY_WORKERS = 14;
    /** Blocking tasks per cached pool in a wave; two cached pools per rule. */
    static final int WAVE = 3;

    /** What one round did and left behind. */
    static final class Round {
        final int number;
        final long deaths;
        final long expired;
        final long tasks;
        final long churnMillis;
        final long heapAfterFullGc;
        /** The rules as published during the wave: every pool busy. */
        final String busyRules;
        /** The rules as published after the shutdown. */
        final String rules;

        Round(int number, long deaths, long expired, long tasks, long churnMillis, long heapAfterFullGc, String busyRules,
              String rules) {
            this.number = number;
            this.deaths = deaths;
            this.expired = expired;
            this.tasks = tasks;
            this.churnMillis = churnMillis;
            this.heapAfterFullGc = heapAfterFullGc;
            this.busyRules = busyRules;
            this.rules = rules;
        }

        @Override
        public String toString() {
            return "round " + number + ": " + deaths + " deaths, " + expired + " expiries, " + tasks + " tasks in "
                    + churnMillis + " ms; heap after full GC " + heapAfterFullGc + " bytes\n" + rules;
        }
    }

    private final TargetJvm jvm;
    private final Duration churnTimeout;
    private int rounds;
    /** The agent's property keys but per-thread ones, before the first churn: all that may be left after one. */
    private java.util.Set<String> restingKeys;

    Churn(TargetJvm jvm, Duration churnTimeout) {
        this.jvm = jvm;
        this.churnTimeout = churnTimeout;
    }

    static TargetJvm start(Jdk jdk, Path dir) {
        return TargetJvm.with(jdk).config(Configs.write(dir, CONFIG)).main("io.affinityagent.it.apps.ChurnLab").start();
    }

    /** One round of {@code deaths} worker deaths (or of {@code seconds} when deaths is 0), checked throughout. */
    Round round(long deaths, long seconds) {
        int number = ++rounds;
        jvm.command("round");
        if (restingKeys == null) {
            restingKeys = agentKeys(jvm.agentProperties());
        }
        String churn = deaths > 0 ? jvm.command("churn " + deaths, churnTimeout)
                : jvm.command("churn-for " + seconds, churnTimeout.plusSeconds(seconds));
        Map<String, String> result = fields(churn);
        assertThat(result.get("unexpected")).as("exceptions the application saw: %s", churn).isEqualTo("0");
        long died = Long.parseLong(result.get("deaths"));
        if (deaths > 0) {
            assertThat(died).as(churn).isEqualTo(deaths);
        }
        long expired = Long.parseLong(result.get("expired"));
        assertThat(expired).as("cached workers that expired during the churn: %s", churn).isPositive();

        jvm.command("expire");
        checkQuiet("round " + number + " after the churn", Map.of("steady", STEADY_WORKERS, "elastic", 0, "wide", 0));

        jvm.command("wave " + WAVE);
        String busyRules = checkQuiet("round " + number + " in a wave of new cached workers",
                Map.of("steady", STEADY_WORKERS, "elastic", 2 * WAVE, "wide", 2 * WAVE));
        jvm.command("release");

        jvm.command("shutdown");
        String rules = checkEmpty("round " + number + " after the shutdown");
        long heap = Long.parseLong(fields(jvm.command("heap")).get("used"));
        return new Round(number, died, expired, Long.parseLong(result.get("tasks")), Long.parseLong(result.get("millis")),
                heap, busyRules, rules);
    }

    /**
     * Nothing is starting or exiting: the steady pools are full and idle, the cached ones empty or
     * all busy. The agent must agree with the application and with the kernel, exactly.
     */
    private String checkQuiet(String when, Map<String, Integer> live) {
        // A worker that gave its slot back may still be tearing down: wait for /proc to settle.
        Map<String, List<ProcFs.ThreadInfo>> threads = Await.value(when + ": /proc to show " + live, TargetJvm.TIMEOUT, () -> {
            Map<String, List<ProcFs.ThreadInfo>> byRule = poolThreads();
            for (String rule : RULES) {
                if (byRule.getOrDefault(rule, List.of()).size() != live.get(rule)) {
                    return null;
                }
            }
            return byRule;
        });
        Map<String, Long> app = appLive();
        Properties status = jvm.agentProperties();
        for (String rule : RULES) {
            int expected = live.get(rule);
            assertThat(app.get(rule)).as("%s: %s workers the application counts", when, rule).isEqualTo((long) expected);
            int[] loads = AgentStatus.loads(status, rule);
            assertThat(Arrays.stream(loads).sum()).as("%s: %s loads %s", when, rule, Arrays.toString(loads))
                    .isEqualTo(expected);
            assertThat(max(loads) - min(loads)).as("%s: balance of %s loads %s", when, rule, Arrays.toString(loads))
                    .isLessThanOrEqualTo(1);
            assertThat(AgentStatus.counter(status, rule, "matched") - AgentStatus.counter(status, rule, "exited"))
                    .as("%s: %s matched - exited", when, rule).isEqualTo((long) expected);
            assertThat(AgentStatus.counter(status, rule, "failed")).as("%s: %s failed", when, rule).isZero();
            assertThat(AgentStatus.counter(status, rule, "pinned")).as("%s: %s pinned", when, rule)
                    .isEqualTo(AgentStatus.counter(status, rule, "matched"));
        }
        // Published thread entries ("RULE CPUS NAME"): exactly the live pool workers, each where
        // /proc says it may run, under the name /proc shows (the kernel keeps 15 bytes of it).
        Map<Integer, String> published = new TreeMap<>();
        for (Map.Entry<Integer, String> e : publishedThreads(status).entrySet()) {
            String[] words = e.getValue().split(" ", 3);
            published.put(e.getKey(), words[0] + " " + words[1] + " " + (words.length > 2 ? abbreviate(words[2]) : "?"));
        }
        Map<Integer, String> actual = new TreeMap<>();
        for (Map.Entry<String, List<ProcFs.ThreadInfo>> e : threads.entrySet()) {
            for (ProcFs.ThreadInfo t : e.getValue()) {
                actual.put(t.tid(), e.getKey() + " " + t.allowedCpus() + " " + t.name());
            }
        }
        assertThat(published).as("%s: published workers (rule, CPUs, name) against /proc", when).isEqualTo(actual);
        return ruleLines(status);
    }

    private static String ruleLines(Properties status) {
        StringBuilder lines = new StringBuilder();
        for (String rule : RULES) {
            lines.append("  ").append(StatusPublisher.RULE).append(rule).append(" = ")
                    .append(status.getProperty(StatusPublisher.RULE + rule)).append('\n');
        }
        return lines.toString();
    }

    /** A thread name as the kernel keeps it: its first 15 bytes. */
    private static String abbreviate(String name) {
        return name.length() > 15 ? name.substring(0, 15) : name;
    }

    /** Everything shut down: no worker, no load, no thread entry; every start matched by an exit. */
    private String checkEmpty(String when) {
        Await.until(when + ": the pool threads to be gone from /proc", TargetJvm.TIMEOUT, () -> poolThreads().isEmpty());
        Map<String, String> app = fields(jvm.command("counts"));
        Properties status = jvm.agentProperties();
        for (String rule : RULES) {
            Map<String, String> counts = subFields(app.get(rule));
            long started = Long.parseLong(counts.get("started"));
            assertThat(AgentStatus.loads(status, rule)).as("%s: %s loads", when, rule).containsOnly(0);
            assertThat(AgentStatus.counter(status, rule, "matched")).as("%s: %s matched, against the worker threads the"
                    + " application started", when, rule).isEqualTo(started);
            assertThat(AgentStatus.counter(status, rule, "exited")).as("%s: %s exited", when, rule).isEqualTo(started);
            assertThat(AgentStatus.counter(status, rule, "pinned")).as("%s: %s pinned", when, rule).isEqualTo(started);
            assertThat(AgentStatus.counter(status, rule, "failed")).as("%s: %s failed", when, rule).isZero();
        }
        assertThat(app.get("unexpected")).as("%s: exceptions the application saw", when).isEqualTo("0");
        assertThat(publishedThreads(status)).as("%s: published thread entries", when).isEmpty();
        assertThat(agentKeys(status)).as("%s: the agent's properties, against those before the first churn", when)
                .isEqualTo(restingKeys);
        return ruleLines(status);
    }

    /** The target's pool threads in /proc, by the rule their name belongs to. */
    private Map<String, List<ProcFs.ThreadInfo>> poolThreads() {
        try {
            return ProcFs.system().threads(jvm.pid()).stream().filter(t -> ruleOf(t.name()) != null)
                    .collect(Collectors.groupingBy(t -> ruleOf(t.name()), TreeMap::new, Collectors.toList()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** st1-7 is steady, el2-40 elastic, wd1-3 wide; anything else is not a pool worker. */
    static String ruleOf(String threadName) {
        if (threadName == null || threadName.length() < 5 || threadName.charAt(3) != '-'
                || !Character.isDigit(threadName.charAt(2))) {
            return null;
        }
        switch (threadName.substring(0, 2)) {
            case "st":
                return "steady";
            case "el":
                return "elastic";
            case "wd":
                return "wide";
            default:
                return null;
        }
    }

    private Map<String, Long> appLive() {
        Map<String, String> app = fields(jvm.command("counts"));
        Map<String, Long> live = new LinkedHashMap<>();
        for (String rule : RULES) {
            live.put(rule, Long.parseLong(subFields(app.get(rule)).get("live")));
        }
        return live;
    }

    /** The agent's keys, without the per-thread ones. */
    private static java.util.Set<String> agentKeys(Properties status) {
        return status.stringPropertyNames().stream()
                .filter(k -> k.startsWith(StatusPublisher.PREFIX) && !k.startsWith(StatusPublisher.THREAD))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Map<Integer, String> publishedThreads(Properties status) {
        Map<Integer, String> out = new TreeMap<>();
        for (String key : status.stringPropertyNames()) {
            if (key.startsWith(StatusPublisher.THREAD)) {
                out.put(Integer.parseInt(key.substring(StatusPublisher.THREAD.length())), status.getProperty(key));
            }
        }
        return out;
    }

    /** "OK cmd -> a=1 b=2" as {a=1, b=2}. */
    static Map<String, String> fields(String answer) {
        Map<String, String> out = new LinkedHashMap<>();
        int arrow = answer.indexOf(" -> ");
        if (arrow < 0) {
            return out;
        }
        for (String part : answer.substring(arrow + 4).split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return out;
    }

    /** "started:5,ended:3,live:2" as {started=5, ended=3, live=2}. */
    private static Map<String, String> subFields(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int colon = part.indexOf(':');
            out.put(part.substring(0, colon), part.substring(colon + 1));
        }
        return out;
    }

    private static int max(int[] a) {
        return Arrays.stream(a).max().orElse(0);
    }

    private static int min(int[] a) {
        return Arrays.stream(a).min().orElse(0);
    }
}
