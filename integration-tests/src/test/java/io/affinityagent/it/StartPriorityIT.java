package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.quietApartFromTheAgent;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's start at JVM start beside the application: on JDK 17 to 23 its first part (the
 * config, the native helper, the plan) runs on a thread of its own at nice 10, and nothing else
 * does, neither the application's threads nor those the agent starts afterwards; from JDK 24,
 * where the launcher may not load native code without a warning, all of it runs at the JVM's
 * priority.
 */
class StartPriorityIT {

    /** The first JDK on which the launcher does not lower the start's priority (StartPriority). */
    private static final int FIRST_JDK_THAT_WARNS = 24;
    /** The first part's nice value (StartPriority.START_NICE). */
    private static final int START_NICE = 10;
    /** The kernel's name for the first part's thread (AgentLauncher.LOW_PRIORITY_THREAD). */
    private static final String LOW_PRIORITY_THREAD = "affinity-config";

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void theStartsFirstPartAloneRunsAtALowPriority(Jdk jdk) throws IOException {
        jdk.requirePresent();
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = all",
                "cpuset-watch = 1s", "log = debug");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).start()) {
            String took = jvm.agentLines().stream().filter(l -> l.contains("the agent's start took")).findFirst()
                    .orElseThrow(() -> new AssertionError("no debug line on the start's cost: " + jvm.agentLines()));
            if (jdk.feature() < FIRST_JDK_THAT_WARNS && jarCarriesAHelperForThisCpu()) {
                // The thread read its own nice from /proc/thread-self/stat: 10, or the JVM's own if higher.
                int expected = Math.max(START_NICE, niceOf(Paths.get("/proc/self/stat")));
                assertThat(took).contains("on " + LOW_PRIORITY_THREAD + " at nice " + expected + ",", "the rest on affinity-start");
            } else {
                assertThat(took).doesNotContain(LOW_PRIORITY_THREAD);
            }
            Await.until("the start's low-priority thread to end", TargetJvm.TIMEOUT,
                    () -> threadNiceValues(jvm.pid()).keySet().stream().noneMatch(t -> t.startsWith(LOW_PRIORITY_THREAD + " ")));
            Map<String, Integer> nice = threadNiceValues(jvm.pid());
            int launchedAt = niceOf(Paths.get("/proc", Long.toString(jvm.pid()), "stat"));
            assertThat(nice.keySet()).as("the agent's own thread, started after the start")
                    .anyMatch(t -> t.startsWith("affinity-agent- "));
            assertThat(nice).as("every thread's nice value, the JVM's main thread at %d", launchedAt)
                    .allSatisfy((name, value) -> assertThat(value).as(name).isEqualTo(launchedAt));
            quietApartFromTheAgent(jvm); // no JDK warning about native code, on any JDK
        }
    }

    /** Whether affinity-agent.jar has the native helper for os.arch (x86-64, aarch64): the launcher needs it. */
    private static boolean jarCarriesAHelperForThisCpu() throws IOException {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(TargetJvm.AGENT_JAR.toFile())) {
            return jar.getJarEntry("inst/io/affinityagent/os/native/linux-" + System.getProperty("os.arch")
                    + "/libaffinityagent.so") != null;
        }
    }

    /** Each thread's nice value, by its kernel name (15 characters at most) and id: "name (tid N)". */
    private static Map<String, Integer> threadNiceValues(long pid) {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (Stream<Path> tasks = Files.list(Paths.get("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    out.put(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')) + " (tid " + task.getFileName() + ")",
                            niceOf(task.resolve("stat")));
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list the threads of " + pid, e);
        }
        return out;
    }

    /** Field 19 of a stat file: the fields after the name, which may hold spaces, counted from field 3. */
    private static int niceOf(Path stat) throws IOException {
        String text = Files.readString(stat, StandardCharsets.US_ASCII);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
