package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real third-party server: Jetty 12 from Maven Central, whose QueuedThreadPool threads are plain
 * Threads. An any-thread rule pins them by name as they start; requests are served on them.
 */
class JettyIT {

    private static final String JETTY_LIBS = System.getProperty("affinity.test.jetty-libs", "target/jetty-libs");

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void jettysThreadsArePinnedOnePerCpuAndServeRequestsThere(Jdk jdk) throws Exception {
        Path config = Configs.write(dir,
                "rule.web.pool = any-thread",
                "rule.web.thread-name = web-*",
                "rule.web.cpus = " + cpus.both);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config)
                .classpath(TargetJvm.APPS_CLASSPATH + ":" + JETTY_LIBS + "/*")
                .main("io.affinityagent.it.apps.JettyLab").launch()) {
            String listening = jvm.awaitStdout(l -> l.startsWith("LISTENING "));
            int port = Integer.parseInt(listening.substring("LISTENING ".length()));
            CpuSet everything = TargetAssertions.processCpus(jvm);

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            List<String> served = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + i))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                served.add(r.body().trim());
            }

            // Every request was handled on a web- thread that saw itself pinned to one CPU...
            assertThat(served).allSatisfy(line -> assertThat(line).matches("web-\\d+ \\d+ (" + cpus.s0 + "|" + cpus.s1 + ")"));
            // ...and /proc, read from outside, agrees for each of them.
            for (String line : served) {
                String[] f = line.split(" ");
                assertThat(allowed(jvm, Integer.parseInt(f[1]))).as(line).isEqualTo(CpuSet.of(Integer.parseInt(f[2])));
            }
            // Every live Jetty thread is pinned, one per CPU in turn; the JVM's other threads are not.
            Map<String, Integer> webByMask = new TreeMap<>();
            for (ProcFs.ThreadInfo t : ProcFs.system().threads(jvm.pid())) {
                if (t.name().startsWith("web-")) {
                    webByMask.merge(t.allowedCpus().toString(), 1, Integer::sum);
                } else {
                    assertThat(t.allowedCpus()).as("thread %s (%d)", t.name(), t.tid()).isEqualTo(everything);
                }
            }
            assertThat(webByMask.keySet()).containsExactlyInAnyOrder(cpus.s0, cpus.s1);
            assertThat(Math.abs(webByMask.get(cpus.s0) - webByMask.get(cpus.s1))).isLessThanOrEqualTo(1);
            Properties status = jvm.agentProperties();
            // What the agent says: the threads it pinned and that have not ended are exactly the live web- threads.
            assertThat(AgentStatus.counter(status, "web", "pinned") - AgentStatus.counter(status, "web", "exited"))
                    .isEqualTo(webByMask.get(cpus.s0) + webByMask.get(cpus.s1));
            assertThat(AgentStatus.counter(status, "web", "failed")).isZero();
            TargetAssertions.noAgentProblems(jvm);
            assertThat(jvm.stderr()).allMatch(l -> l.startsWith("[affinity-agent] "), "is an [affinity-agent] line");
        }
    }

    private static CpuSet allowed(TargetJvm jvm, int tid) {
        try {
            return ProcFs.system().threadAllowedCpus(jvm.pid(), tid);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
