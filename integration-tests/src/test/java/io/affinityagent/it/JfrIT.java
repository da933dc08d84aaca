package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's JFR events as an operator records them: {@code jcmd PID JFR.start} (the JDK's
 * default settings), workers started and stopped, {@code jcmd PID JFR.dump}, then read back with
 * jdk.jfr.consumer.
 */
class JfrIT {

    @TempDir
    Path dir;

    private static String jcmd(Jdk jdk, long pid, String... args) throws Exception {
        // The target JDK's jcmd; a JDK without one (JDK 21 here is a runtime) is driven by the tests' own.
        Path jcmd = jdk.java().resolveSibling("jcmd");
        if (!java.nio.file.Files.isExecutable(jcmd)) {
            jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        }
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aDefaultRecordingHasOnePinEventPerWorkerStartedWithItsRuleAndCpusTheReplanAndTheReleases(Jdk jdk)
            throws Exception {
        Path both = Configs.writeAs(dir.resolve("both.properties"), "rules = orders, quotes",
                "rule.orders.thread-name = order-*", "rule.orders.cpus = all",
                "rule.quotes.thread-name = quote-*", "rule.quotes.cpus = all");
        Path ordersOnly = Configs.writeAs(dir.resolve("orders.properties"), "rules = orders",
                "rule.orders.thread-name = order-*", "rule.orders.cpus = all");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(both).start()) {
            jcmd(jdk, jvm.pid(), "JFR.start", "name=affinity");
            jvm.command("pool p fixed 3 order-");
            jvm.command("pool q fixed 1 quote-");
            List<Worker> workers = new ArrayList<>(jvm.occupy("p", 3));
            Worker quote = jvm.occupy("q", 1).get(0);
            workers.add(quote);
            Map<Integer, String> procCpus = new HashMap<>();
            Map<Integer, String> rules = new HashMap<>();
            for (Worker w : workers) {
                procCpus.put(w.tid(), w.allowedCpus().toString());
                rules.put(w.tid(), w == quote ? "quotes" : "orders");
            }
            // A re-attach without the quotes rule lets the quote worker go; then the order workers exit.
            AgentCli.Result reattach = AgentCli.on(jdk).execute("attach", Long.toString(jvm.pid()), "--config",
                    ordersOnly.toString());
            assertThat(reattach.exitCode()).as(reattach.toString()).isZero();
            jvm.command("shutdown p");
            Path file = dir.resolve("affinity.jfr");
            jcmd(jdk, jvm.pid(), "JFR.dump", "name=affinity", "filename=" + file);

            List<RecordedEvent> pinned = new ArrayList<>();
            List<RecordedEvent> released = new ArrayList<>();
            List<RecordedEvent> replanned = new ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                String type = e.getEventType().getName();
                if (type.equals("io.affinityagent.WorkerPinned")) {
                    pinned.add(e);
                } else if (type.equals("io.affinityagent.WorkerReleased")) {
                    released.add(e);
                } else if (type.equals("io.affinityagent.Replanned")) {
                    replanned.add(e);
                }
                assertThat(type).isNotEqualTo("io.affinityagent.PinFailed");
            }
            assertThat(replanned).hasSize(1);
            RecordedEvent replan = replanned.get(0);
            assertThat(replan.getString("reason")).isEqualTo("re-attach");
            assertThat(replan.getString("config")).isEqualTo(ordersOnly.toString());
            assertThat(replan.getInt("workersReleased")).isEqualTo(1);
            assertThat(replan.getString("ruleLoads")).startsWith("orders cpus=" + TargetAssertions.processCpus(jvm)
                    + " loads=");

            // One pin per worker started (written by the worker itself, as it starts), with its rule and
            // the CPUs /proc showed; the re-plan's, written by the thread that ran it, re-place the order workers.
            List<RecordedEvent> started = new ArrayList<>();
            List<Integer> replaced = new ArrayList<>();
            for (RecordedEvent e : pinned) {
                if (e.getThread().getJavaThreadId() == e.getThread("worker").getJavaThreadId()) {
                    started.add(e);
                } else {
                    replaced.add((int) e.getLong("nativeThreadId"));
                }
            }
            assertThat(replaced).containsExactlyInAnyOrderElementsOf(workers.subList(0, 3).stream().map(Worker::tid)
                    .toList());
            assertThat(started).extracting(e -> (int) e.getLong("nativeThreadId"))
                    .containsExactlyInAnyOrderElementsOf(procCpus.keySet());
            for (RecordedEvent e : started) {
                int tid = (int) e.getLong("nativeThreadId");
                assertThat(e.getString("rule")).isEqualTo(rules.get(tid));
                assertThat(e.getString("cpus")).isEqualTo(procCpus.get(tid));
                assertThat(e.getString("pool")).isEqualTo("thread-pool");
                assertThat(e.getBoolean("moved")).isTrue();
                assertThat(e.getThread("worker").getJavaName()).startsWith(rules.get(tid).equals("quotes") ? "quote-"
                        : "order-");
                assertThat(e.getStackTrace()).isNull();
            }

            Map<Integer, String> releases = new HashMap<>();
            for (RecordedEvent e : released) {
                releases.put((int) e.getLong("nativeThreadId"), e.getString("reason"));
            }
            Map<Integer, String> expected = new HashMap<>();
            for (Worker w : workers) {
                expected.put(w.tid(), w == quote ? "re-plan" : "exit");
            }
            assertThat(releases).isEqualTo(expected);
            assertThat(released).hasSameSizeAs(workers);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void withNoRecordingAPinLoadsNoJfrClass(Jdk jdk) throws Exception {
        // Loading the first event class sets up JFR's event machinery, the largest part of the
        // agent's start-up: it must wait until the recorder is started.
        Path config = Configs.writeAs(dir.resolve("orders.properties"), "rules = orders",
                "rule.orders.thread-name = order-*", "rule.orders.cpus = all");
        Path classLog = dir.resolve("classes.log");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).jvmOption("-Xlog:class+load=info:file=" + classLog)
                .start()) {
            jvm.command("pool p fixed 1 order-");
            jvm.occupy("p", 1); // its start hook pinned it (and told the observers) before it ran the task
            String loaded = java.nio.file.Files.readString(classLog);
            assertThat(loaded).contains("io.affinityagent.jfr.FlightRecorderEvents")
                    .doesNotContain("io.affinityagent.jfr.WorkerPinnedEvent")
                    .doesNotContain("jdk.jfr.internal.MetadataRepository");
        }
    }
}
