package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real Tomcat 11 and a real Netty 4.2, started WITHOUT the agent, under a bounded load to
 * 127.0.0.1: {@code attach} pins every running thread its any-thread rules match at once (the
 * server's own threads, none of them a java.util.concurrent pool worker) and says so rule by rule;
 * a second attach with another config re-pins them; {@code detach} gives them the process's CPUs
 * back. Each step is read through /proc right after the command returns; no request fails.
 */
class ServerAttachIT {

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void tomcatAttachedAtRunTimeHasEveryExecAcceptorAndPollerThreadPinnedAtOnceReattachedAndDetached(Jdk jdk)
            throws Exception {
        Path first = Configs.writeAs(dir.resolve("first.properties"),
                "rules = web, io",
                "rule.web.pool = any-thread",
                "rule.web.thread-name = http-nio-*-exec-*",
                "rule.web.cpus = all",
                "rule.io.pool = any-thread",
                "rule.io.thread-name = http-nio-*-{Acceptor,Poller}",
                "rule.io.cpus = +0",
                "rule.io.share-cpus = true");
        Path second = Configs.writeAs(dir.resolve("second.properties"),
                "rules = web, io",
                "rule.web.pool = any-thread",
                "rule.web.thread-name = http-nio-*-exec-*",
                "rule.web.cpus = +1",
                "rule.io.pool = any-thread",
                "rule.io.thread-name = http-nio-*-{Acceptor,Poller}",
                "rule.io.cpus = +1",
                "rule.io.share-cpus = true");
        attachReattachDetach(jdk, "io.affinityagent.it.apps.TomcatLab", first, second,
                Map.of("web", "http-nio-127\\.0\\.0\\.1-\\d+-exec-\\d+", "io", "http-nio-127\\.0\\.0\\.1-\\d+-(Acceptor|Poller)"),
                Map.of("web", 10, "io", 2));
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void nettyAttachedAtRunTimeHasEveryEventLoopPinnedAtOnceReattachedAndDetached(Jdk jdk) throws Exception {
        Path first = Configs.writeAs(dir.resolve("first.properties"),
                "rule.loops.pool = any-thread",
                "rule.loops.thread-name = {nioEventLoopGroup,multiThreadIoEventLoopGroup}-*",
                "rule.loops.cpus = all");
        Path second = Configs.writeAs(dir.resolve("second.properties"),
                "rule.loops.pool = any-thread",
                "rule.loops.thread-name = {nioEventLoopGroup,multiThreadIoEventLoopGroup}-*",
                "rule.loops.cpus = +1");
        // The boss loop and the two worker loops (four connections start both).
        attachReattachDetach(jdk, "io.affinityagent.it.apps.NettyLab", first, second,
                Map.of("loops", "multiThreadIoEventLoopGroup-\\d+-\\d+"), Map.of("loops", 3));
    }

    /**
     * @param threadsByRule for each rule, a regular expression for the Java names of the threads it must take
     * @param atLeast       for each rule, how many such threads the server has at least
     */
    private void attachReattachDetach(Jdk jdk, String lab, Path first, Path second, Map<String, String> threadsByRule,
                                      Map<String, Integer> atLeast) throws Exception {
        try (TargetJvm jvm = TargetJvm.with(jdk).classpath(ServerLoad.CLASSPATH).main(lab).launch()) {
            int port = Integer.parseInt(jvm.awaitStdout(l -> l.startsWith("LISTENING ")).substring("LISTENING ".length()));
            CpuSet process = TargetAssertions.processCpus(jvm);
            CpuSet firstCpu = CpuSet.of(process.nth(0));
            CpuSet secondCpu = CpuSet.of(process.nth(1));
            try (ServerLoad load = ServerLoad.start(port, 4, 4000, Duration.ofSeconds(90))) {
                load.awaitAnswered(300);
                Map<String, Map<String, Integer>> threads = threadsOf(jvm, threadsByRule);
                for (Map.Entry<String, Integer> min : atLeast.entrySet()) {
                    assertThat(threads.get(min.getKey())).as("threads of rule %s", min.getKey())
                            .hasSizeGreaterThanOrEqualTo(min.getValue());
                }
                threads.values().forEach(byName -> byName.forEach((name, tid) ->
                        assertThat(TomcatIT.mask(jvm, tid)).as("%s before the attach", name).isEqualTo(process)));

                // First attach: every matched running thread pinned by the time the command returns.
                AgentCli.Result attach = AgentCli.on(jdk).execute("attach", Long.toString(jvm.pid()), "-c", first.toString());
                assertThat(attach.exitCode()).as("%s", attach).isZero();
                threads = threadsOf(jvm, threadsByRule);
                assertThat(attach.stdout()).contains("pinned " + perRule(threads, "running threads"));
                for (Map.Entry<String, Map<String, Integer>> rule : threads.entrySet()) {
                    Map<String, Integer> byMask = new TreeMap<>();
                    for (Map.Entry<String, Integer> t : rule.getValue().entrySet()) {
                        CpuSet mask = TomcatIT.mask(jvm, t.getValue());
                        if (rule.getKey().equals("io")) {
                            assertThat(mask).as(t.getKey()).isEqualTo(firstCpu);
                        } else {
                            assertThat(mask.size()).as(t.getKey()).isEqualTo(1);
                            assertThat(process.containsAll(mask)).as(t.getKey()).isTrue();
                        }
                        byMask.merge(mask.toString(), 1, Integer::sum);
                    }
                    if (!rule.getKey().equals("io")) { // round-robin over every CPU of the process, evenly
                        assertThat(byMask).as("rule %s", rule.getKey()).hasSize(Math.min(process.size(), rule.getValue().size()));
                        assertThat(byMask.values().stream().mapToInt(Integer::intValue).max().getAsInt()
                                - byMask.values().stream().mapToInt(Integer::intValue).min().getAsInt())
                                .isLessThanOrEqualTo(1);
                    }
                }

                // Second attach, another config: every one of them re-pinned, to the second CPU.
                AgentCli.Result again = AgentCli.on(jdk).execute("attach", Long.toString(jvm.pid()), "-c", second.toString());
                assertThat(again.exitCode()).as("%s", again).isZero();
                threads = threadsOf(jvm, threadsByRule);
                assertThat(again.stdout()).contains("re-pinned " + perRule(threads, "running threads"));
                threads.values().forEach(byName -> byName.forEach((name, tid) ->
                        assertThat(TomcatIT.mask(jvm, tid)).as("%s after the second attach", name).isEqualTo(secondCpu)));

                // Detach: every one back on the process's CPUs.
                AgentCli.Result detach = AgentCli.on(jdk).execute("detach", Long.toString(jvm.pid()));
                assertThat(detach.exitCode()).as("%s", detach).isZero();
                threads.values().forEach(byName -> byName.forEach((name, tid) ->
                        assertThat(TomcatIT.mask(jvm, tid)).as("%s after detach", name).isEqualTo(process)));
                assertThat(detach.stdout()).contains("gave " + perRule(threads, "threads"));

                load.finish();
                assertThat(load.failed()).as("failed requests (first: %s)", load.firstFailure()).isZero();
                assertThat(load.answered()).isGreaterThanOrEqualTo(300);
            }
            TargetAssertions.noAgentProblems(jvm);
        }
    }

    /** For each rule, the Java names (and tids) of the threads its expression matches, from status's thread dump. */
    private static Map<String, Map<String, Integer>> threadsOf(TargetJvm jvm, Map<String, String> threadsByRule)
            throws Exception {
        Map<String, Integer> all = TomcatIT.javaNames(jvm);
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        for (Map.Entry<String, String> rule : threadsByRule.entrySet()) {
            Pattern p = Pattern.compile(rule.getValue());
            out.put(rule.getKey(), all.entrySet().stream().filter(e -> p.matcher(e.getKey()).matches())
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)));
        }
        return out;
    }

    /** {@code 10 running threads of rule web, 2 of rule io}: rules in config order (web before io). */
    private static String perRule(Map<String, Map<String, Integer>> threads, String noun) {
        StringBuilder sb = new StringBuilder();
        for (String rule : threads.containsKey("web") ? new String[] {"web", "io"} : new String[] {"loops"}) {
            int n = threads.get(rule).size();
            sb.append(sb.length() == 0 ? n + " " + noun + " of rule " + rule : ", " + n + " of rule " + rule);
        }
        return sb.toString();
    }
}
