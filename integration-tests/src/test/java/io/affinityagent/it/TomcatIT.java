package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real embedded Tomcat 11 with its defaults (TomcatLab), under a bounded load to 127.0.0.1,
 * started with the agent and the README's Tomcat rules: the ten {@code exec} threads of Tomcat's
 * own executor one per CPU in turn, the acceptor and the poller on the first CPU, as /proc shows;
 * no request fails; {@code status} shows them by their Java names; {@code check --pid} tells a
 * rule without {@code pool = any-thread} what it misses.
 */
class TomcatIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void tomcatsExecAcceptorAndPollerThreadsArePinnedAsTheConfigSaysUnderLoad(Jdk jdk) throws Exception {
        Path config = Configs.write(dir,
                "rules = web, io",
                "rule.web.pool = any-thread",
                "rule.web.thread-name = http-nio-*-exec-*",
                "rule.web.cpus = all",
                "rule.io.pool = any-thread",
                "rule.io.thread-name = http-nio-*-{Acceptor,Poller}",
                "rule.io.cpus = +0",
                "rule.io.share-cpus = true");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).classpath(ServerLoad.CLASSPATH)
                .main("io.affinityagent.it.apps.TomcatLab").launch()) {
            int port = Integer.parseInt(jvm.awaitStdout(l -> l.startsWith("LISTENING ")).substring("LISTENING ".length()));
            CpuSet process = TargetAssertions.processCpus(jvm);
            try (ServerLoad load = ServerLoad.start(port, 4, 1500, Duration.ofSeconds(30))) {
                load.awaitAnswered(300);

                // Java names from status (one thread dump), masks from /proc: the two must agree with the config.
                Map<String, Integer> tids = javaNames(jvm);
                List<String> exec = new ArrayList<>();
                for (String name : tids.keySet()) {
                    if (name.matches("http-nio-127\\.0\\.0\\.1-" + port + "-exec-\\d+")) {
                        exec.add(name);
                    }
                }
                assertThat(exec).as("Tomcat's default executor starts ten threads").hasSizeGreaterThanOrEqualTo(10);
                Map<CpuSet, Integer> execByMask = new TreeMap<>(java.util.Comparator.comparing(CpuSet::toString));
                for (String name : exec) {
                    CpuSet mask = mask(jvm, tids.get(name));
                    assertThat(mask.size()).as(name).isEqualTo(1);
                    assertThat(process.containsAll(mask)).as(name).isTrue();
                    execByMask.merge(mask, 1, Integer::sum);
                }
                // Round-robin: every CPU of the process takes its share, none more than one over another.
                assertThat(execByMask.size()).isEqualTo(Math.min(process.size(), exec.size()));
                assertThat(execByMask.values().stream().mapToInt(Integer::intValue).max().getAsInt()
                        - execByMask.values().stream().mapToInt(Integer::intValue).min().getAsInt()).isLessThanOrEqualTo(1);
                CpuSet first = CpuSet.of(process.first());
                assertThat(mask(jvm, tids.get("http-nio-127.0.0.1-" + port + "-Acceptor"))).isEqualTo(first);
                assertThat(mask(jvm, tids.get("http-nio-127.0.0.1-" + port + "-Poller"))).isEqualTo(first);

                load.finish();
                assertThat(load.failed()).as("failed requests (first: %s)", load.firstFailure()).isZero();
                assertThat(load.answered()).isGreaterThanOrEqualTo(300);
                // Every answer came from an exec thread that saw itself pinned to one CPU.
                assertThat(load.answersByThread().values()).isNotEmpty().allSatisfy(line ->
                        assertThat(line).matches("http-nio-127\\.0\\.0\\.1-" + port + "-exec-\\d+ \\d+ \\d+"));
            }

            // status names them in full, with their kind, pool and rule.
            AgentCli.Result status = AgentCli.on(jdk).execute("status", Long.toString(jvm.pid()));
            assertThat(status.exitCode()).as("%s", status).isZero();
            assertThat(status.stdout()).containsPattern("web +\\S+ +\\S+ +thread +org\\.apache\\.tomcat\\.util\\.threads"
                    + "\\.ThreadPoolExecutor +http-nio-127\\.0\\.0\\.1-" + port + "-exec-1 ")
                    .containsPattern("io +\\S+ +\\S+ +thread +\\S+ +http-nio-127\\.0\\.0\\.1-" + port + "-Acceptor")
                    .containsPattern("io +\\S+ +\\S+ +thread +\\S+ +http-nio-127\\.0\\.0\\.1-" + port + "-Poller");

            // check --pid: the natural first config (no pool = any-thread) is told what it misses, and why.
            Path natural = Configs.writeAs(dir.resolve("natural.properties"),
                    "rule.web.thread-name = http-nio-*-exec-*",
                    "rule.web.cpus = all");
            AgentCli.Result check = AgentCli.on(jdk).execute("check", natural.toString(), "--pid", Long.toString(jvm.pid()));
            assertThat(check.exitCode()).as("%s", check).isZero();
            assertThat(check.stdout()).contains("rule web (thread-name=http-nio-*-exec-*) matches none of the")
                    .contains("http-nio-127.0.0.1-" + port + "-exec-1 (a plain thread of no java.util.concurrent pool,"
                            + " runs org.apache.tomcat.util.threads.ThreadPoolExecutor): add pool = any-thread");
            TargetAssertions.noAgentProblems(jvm);
            assertThat(jvm.stderr()).allMatch(l -> l.startsWith("[affinity-agent] "), "is an [affinity-agent] line");
        }
    }

    /** Java name to tid, from {@code status --json} (its thread dump). */
    static Map<String, Integer> javaNames(TargetJvm jvm) throws Exception {
        AgentCli.Result status = AgentCli.run("status", Long.toString(jvm.pid()), "--json");
        assertThat(status.exitCode()).as("%s", status).isZero();
        Map<String, Integer> tids = new TreeMap<>();
        for (JsonNode t : new ObjectMapper().readTree(status.stdout()).get("threads")) {
            tids.put(t.get("name").asText(), t.get("tid").asInt());
        }
        return tids;
    }

    static CpuSet mask(TargetJvm jvm, Integer tid) {
        assertThat(tid).as("thread id").isNotNull();
        try {
            return ProcFs.system().threadAllowedCpus(jvm.pid(), tid);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
