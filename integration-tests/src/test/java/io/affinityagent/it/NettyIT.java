package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Netty 4.2 HTTP server (NettyLab: a boss group of one event loop, a worker group of two,
 * MultiThreadIoEventLoopGroup over NIO), under a bounded load to 127.0.0.1, started with the
 * agent and the README's Netty rule: every event loop, named {@code multiThreadIoEventLoopGroup-N-M}
 * by Netty, on one CPU, in turn, as /proc shows; no request fails; {@code status} shows them by
 * their Java names; {@code check --pid} steers the old {@code epollEventLoopGroup-*} glob to the
 * names Netty 4.2 really uses.
 */
class NettyIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void nettysEventLoopsArePinnedOnePerCpuUnderLoad(Jdk jdk) throws Exception {
        Path config = Configs.write(dir,
                "rule.loops.pool = any-thread",
                "rule.loops.thread-name = {nioEventLoopGroup,multiThreadIoEventLoopGroup}-*",
                "rule.loops.cpus = all");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).classpath(ServerLoad.CLASSPATH)
                .main("io.affinityagent.it.apps.NettyLab").launch()) {
            int port = Integer.parseInt(jvm.awaitStdout(l -> l.startsWith("LISTENING ")).substring("LISTENING ".length()));
            CpuSet process = TargetAssertions.processCpus(jvm);
            try (ServerLoad load = ServerLoad.start(port, 4, 1500, Duration.ofSeconds(30))) {
                // Four connections: both worker loops have started (Netty starts a loop with its first channel).
                load.awaitAnswered(300);

                Map<String, Integer> tids = TomcatIT.javaNames(jvm);
                Map<String, Integer> loopsByMask = new TreeMap<>();
                int loops = 0;
                for (Map.Entry<String, Integer> t : tids.entrySet()) {
                    if (t.getKey().matches("multiThreadIoEventLoopGroup-\\d+-\\d+")) {
                        CpuSet mask = TomcatIT.mask(jvm, t.getValue());
                        assertThat(mask.size()).as(t.getKey()).isEqualTo(1);
                        assertThat(process.containsAll(mask)).as(t.getKey()).isTrue();
                        loopsByMask.merge(mask.toString(), 1, Integer::sum);
                        loops++;
                    }
                }
                assertThat(loops).as("the boss loop and both worker loops: %s", tids.keySet()).isEqualTo(3);
                assertThat(loopsByMask.size()).isEqualTo(Math.min(process.size(), loops));

                load.finish();
                assertThat(load.failed()).as("failed requests (first: %s)", load.firstFailure()).isZero();
                assertThat(load.answered()).isGreaterThanOrEqualTo(300);
                assertThat(load.answersByThread()).hasSize(2);
                assertThat(load.answersByThread().values()).allSatisfy(line ->
                        assertThat(line).matches("multiThreadIoEventLoopGroup-\\d+-\\d+ \\d+ \\d+"));
            }

            AgentCli.Result status = AgentCli.on(jdk).execute("status", Long.toString(jvm.pid()));
            assertThat(status.exitCode()).as("%s", status).isZero();
            assertThat(status.stdout()).containsPattern("loops +\\S+ +\\S+ +thread +io\\.netty\\.\\S+ +"
                    + "multiThreadIoEventLoopGroup-\\d+-1");

            // The glob README used to give (Netty 4.1's epoll groups): the nearest real names, and a glob for them.
            Path old = Configs.writeAs(dir.resolve("old.properties"),
                    "rule.loops.pool = any-thread",
                    "rule.loops.thread-name = epollEventLoopGroup-*",
                    "rule.loops.cpus = all");
            AgentCli.Result check = AgentCli.on(jdk).execute("check", old.toString(), "--pid", Long.toString(jvm.pid()));
            assertThat(check.exitCode()).as("%s", check).isZero();
            assertThat(check.stdout()).contains("rule loops (thread-name=epollEventLoopGroup-* pool=any-thread) matches"
                    + " none of the").containsPattern("multiThreadIoEventLoopGroup-\\d+-\\d+ \\(a plain thread")
                    .contains("a glob for it: thread-name = multiThreadIoEventLoopGroup-*");
            TargetAssertions.noAgentProblems(jvm);
            assertThat(jvm.stderr()).allMatch(l -> l.startsWith("[affinity-agent] "), "is an [affinity-agent] line");
        }
    }
}
