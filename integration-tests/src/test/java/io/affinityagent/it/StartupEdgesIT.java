package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static io.affinityagent.it.TargetAssertions.noAgentProblems;
import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.it.agents.PoolClassLoadHoldAgent;
import io.affinityagent.it.agents.StartGateAgent;
import io.affinityagent.it.agents.TpeCountingAgent;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How applications start, beyond a plain main: a pool made in the main class's static
 * initialiser; an application that instruments its own classes with ByteBuddy; an application
 * whose own Java agent also transforms ThreadPoolExecutor, before or after ours; and our agent
 * given twice, as the same jar or as two copies; workers that start before the agent's plan is
 * ready. Workers are pinned exactly once in every case.
 */
class StartupEdgesIT {

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    private static final Path BYTEBUDDY_LIBS = Paths.get(System.getProperty("affinity.test.bytebuddy-libs",
            "target/bytebuddy-libs"));

    private Path spreadOverTwo(String rule, String glob) {
        return Configs.write(dir, "rule." + rule + ".thread-name = " + glob, "rule." + rule + ".cpus = " + cpus.both,
                "log = debug");
    }

    private static String withByteBuddy() {
        return TargetJvm.APPS_CLASSPATH + File.pathSeparator + Arrays.stream(BYTEBUDDY_LIBS.toFile().listFiles())
                .map(File::getPath).sorted().collect(Collectors.joining(File.pathSeparator));
    }

    /** Launches a small app of it.apps and waits for its READY; the agent is added by the caller. */
    private static TargetJvm ready(TargetJvm.Builder builder) {
        TargetJvm jvm = builder.launch();
        jvm.awaitStdout(l -> l.startsWith("READY "));
        return jvm;
    }

    /** Each worker was pinned once, by the rule, and the pool's two workers are spread over the two CPUs. */
    private void pinnedOnceEachAndSpread(TargetJvm jvm, String pool, String rule) {
        List<Worker> workers = jvm.workersSince(0, "WORKER " + pool + " ");
        assertThat(workers).hasSize(2);
        assertThat(countByMask(workers)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
        for (Worker w : workers) {
            assertThat(jvm.agentLines().stream().filter(l -> l.startsWith("pinned \"" + w.name() + "\"")))
                    .as("pin lines of %s", w).hasSize(1);
        }
        Properties status = jvm.agentProperties();
        assertThat(AgentStatus.counter(status, rule, "matched")).isEqualTo(2);
        assertThat(AgentStatus.counter(status, rule, "pinned")).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aPoolMadeInTheMainClassStaticInitialiserIsPinned(Jdk jdk) {
        try (TargetJvm jvm = ready(TargetJvm.with(jdk).config(spreadOverTwo("early", "early-*"))
                .main("io.affinityagent.it.apps.StaticInitApp"))) {
            // Its workers reported before main ran.
            List<String> out = jvm.stdout();
            assertThat(out.indexOf(out.stream().filter(l -> l.startsWith("MAIN")).findFirst().orElseThrow()))
                    .isGreaterThan(out.indexOf(out.stream().filter(l -> l.startsWith("WORKER early ")).findFirst().orElseThrow()));
            pinnedOnceEachAndSpread(jvm, "early", "early");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void workersThatStartBeforeTheAgentsPlanIsReadyArePinnedOnceItIs(Jdk jdk) {
        // The agent starts beside the application; the gate holds its start until both workers run.
        TargetJvm.Builder builder = TargetJvm.with(jdk).jvmOption("-javaagent:" + TestAgentJar.build(dir, StartGateAgent.class))
                .jvmOption("-javaagent:" + TargetJvm.AGENT_JAR + "=config=" + spreadOverTwo("early", "early-*")
                        + ",start=background")
                .main("io.affinityagent.it.apps.EarlyWorkersApp");
        try (TargetJvm jvm = ready(builder)) {
            String processCpus = TargetAssertions.processCpus(jvm).toString();
            assertThat(jvm.stdout()).filteredOn(l -> l.startsWith("WORKER early ")).hasSize(2)
                    .allSatisfy(l -> assertThat(l).as("started before the plan").endsWith(" " + processCpus));
            pinnedOnceEachAndSpread(jvm, "early", "early");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void byDefaultMainRunsBeforeTheAgentLoadsAnyClassBeyondItsLauncher(Jdk jdk) throws IOException {
        // The gate holds the start thread at its first class load until main has started its
        // workers: premain must have left main to the application without the agent's classes.
        Path classLog = dir.resolve("class-load.log");
        TargetJvm.Builder builder = TargetJvm.with(jdk).jvmOption("-javaagent:" + TestAgentJar.build(dir, StartGateAgent.class))
                .jvmOption("-javaagent:" + TargetJvm.AGENT_JAR + "=config=" + spreadOverTwo("early", "early-*"))
                .jvmOption("-Xlog:class+load=info:file=" + classLog)
                .main("io.affinityagent.it.apps.EarlyWorkersApp");
        try (TargetJvm jvm = ready(builder)) {
            pinnedOnceEachAndSpread(jvm, "early", "early");
            noAgentProblems(jvm);
        }
        List<String> loaded = Files.readAllLines(classLog).stream()
                .map(l -> l.replaceFirst("^.*\\[class,load\\] (\\S+) .*$", "$1")).collect(Collectors.toList());
        int main = loaded.indexOf("io.affinityagent.it.apps.EarlyWorkersApp");
        assertThat(main).as("the application's main class loads").isNotNegative();
        assertThat(loaded.subList(0, main)).as("the agent's classes loaded before main")
                .filteredOn(c -> c.startsWith("io.affinityagent.") && !c.startsWith("io.affinityagent.it."))
                .allSatisfy(c -> assertThat(c).startsWith("io.affinityagent.launcher.AgentLauncher"));
        assertThat(loaded).as("then the agent started").contains("io.affinityagent.agent.AgentMain");
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aPoolClassTheApplicationIsLoadingAsTheAgentInstallsItsHooksIsHookedAllTheSame(Jdk jdk) {
        // The application's load of ThreadPoolExecutor is under way, past the JVM's class-load
        // hook, while the agent registers its transformer and looks for the pool classes loaded.
        TargetJvm.Builder builder = TargetJvm.with(jdk).jvmOption("-javaagent:" + TestAgentJar.build(dir, StartGateAgent.class))
                .jvmOption("-javaagent:" + TargetJvm.AGENT_JAR + "=config=" + spreadOverTwo("late", "late-*")
                        + ",start=background")
                .jvmOption("-javaagent:" + TestAgentJar.build(dir, PoolClassLoadHoldAgent.class))
                .main("io.affinityagent.it.apps.LatePoolApp");
        try (TargetJvm jvm = ready(builder)) {
            assertThat(jvm.stdout()).filteredOn(l -> l.startsWith("HELD ")).singleElement().asString()
                    .isEqualTo("HELD java/util/concurrent/ThreadPoolExecutor until-the-start-was-past-its-hooks");
            // They started after the agent's start had ended: only hooks in the class can place them.
            pinnedOnceEachAndSpread(jvm, "late", "late");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void withStartBeforeMainTheWorkersMainStartsFirstAreOnTheirCpusFromTheirFirstTask(Jdk jdk) {
        TargetJvm.Builder builder = TargetJvm.with(jdk)
                .jvmOption("-javaagent:" + TargetJvm.AGENT_JAR + "=config=" + spreadOverTwo("early", "early-*")
                        + ",start=before-main")
                .main("io.affinityagent.it.apps.EarlyWorkersApp");
        try (TargetJvm jvm = ready(builder)) {
            // Each reports the CPUs it runs its first task on: its own already, not the process's.
            assertThat(jvm.stdout()).filteredOn(l -> l.startsWith("WORKER early ")).hasSize(2)
                    .anySatisfy(l -> assertThat(l).endsWith(" " + cpus.s0))
                    .anySatisfy(l -> assertThat(l).endsWith(" " + cpus.s1));
            pinnedOnceEachAndSpread(jvm, "early", "early");
            noAgentProblems(jvm);
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void anApplicationInstrumentingItsOwnClassesWithByteBuddyKeepsItsInstrumentationAndIsPinned(Jdk jdk) {
        TargetJvm.Builder builder = TargetJvm.with(jdk).config(spreadOverTwo("bb", "bb-*")).classpath(withByteBuddy())
                .main("io.affinityagent.it.apps.ByteBuddyApp")
                .jvmOption("-Djdk.attach.allowAttachSelf=true"); // ByteBuddyAgent.install() attaches to its own JVM
        if (jdk.feature() >= 21) {
            builder.jvmOption("-XX:+EnableDynamicAgentLoading"); // else the JDK warns about it on stderr
        }
        quietTheApplicationsByteBuddy(jdk, builder);
        try (TargetJvm jvm = ready(builder)) {
            assertThat(jvm.stdout()).contains("GREETER hello -> instrumented-by-the-application BYTEBUDDY byte-buddy-1.17.8.jar");
            pinnedOnceEachAndSpread(jvm, "bb", "bb");
            noAgentProblems(jvm);
            onlyAgentLinesOnStderr(jvm);
        }
    }

    static Stream<Arguments> agentOrders() {
        return Jdk.all().flatMap(jdk -> Stream.of(Arguments.of(jdk, "theirs first"), Arguments.of(jdk, "ours first")));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("agentOrders")
    void anApplicationWhoseOwnAgentAlsoTransformsThreadPoolExecutorKeepsBothWorking(Jdk jdk, String order) {
        Path theirs = tpeCountingAgentJar();
        String ours = "-javaagent:" + TargetJvm.AGENT_JAR + "=config=" + spreadOverTwo("own", "own-*");
        TargetJvm.Builder builder = TargetJvm.with(jdk).classpath(withByteBuddy()).main("io.affinityagent.it.apps.OwnAgentApp");
        if (order.equals("theirs first")) {
            builder.jvmOption("-javaagent:" + theirs).jvmOption(ours);
        } else {
            builder.jvmOption(ours).jvmOption("-javaagent:" + theirs);
        }
        quietTheApplicationsByteBuddy(jdk, builder);
        try (TargetJvm jvm = ready(builder)) {
            // Their advice ran in ThreadPoolExecutor.execute (our pool called it twice) ...
            String counted = jvm.stdout().stream().filter(l -> l.startsWith("COUNTED ")).findFirst().orElseThrow();
            assertThat(Long.parseLong(counted.substring("COUNTED ".length()))).isGreaterThanOrEqualTo(2);
            // ... and our hooks in runWorker did too.
            pinnedOnceEachAndSpread(jvm, "own", "own");
            noAgentProblems(jvm);
            onlyAgentLinesOnStderr(jvm);
        }
    }

    static Stream<Arguments> twoCopies() {
        return Jdk.all().flatMap(jdk -> Stream.of(Arguments.of(jdk, "the same jar twice"),
                Arguments.of(jdk, "two copies of the jar")));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("twoCopies")
    void ourAgentGivenTwiceRunsOnceAndTheSecondSaysSo(Jdk jdk, String how) throws IOException {
        Path first = spreadOverTwo("twice", "twice-*");
        // The second copy's config would put every worker on the second CPU: it must not be applied.
        Path second = Configs.writeAs(dir.resolve("second.properties"), "rule.other.thread-name = twice-*",
                "rule.other.cpus = " + cpus.s1, "log = debug");
        Path secondJar = TargetJvm.AGENT_JAR;
        if (how.equals("two copies of the jar")) {
            secondJar = Files.copy(TargetJvm.AGENT_JAR, Files.createDirectory(dir.resolve("copy")).resolve("affinity-agent.jar"));
        }
        TargetJvm.Builder builder = TargetJvm.with(jdk).config(first).main("io.affinityagent.it.apps.PoolLab")
                .jvmOption("-javaagent:" + secondJar + "=config=" + second);
        try (TargetJvm jvm = builder.start()) {
            jvm.command("pool p fixed 2 twice-");
            List<Worker> workers = jvm.occupy("p", 2);

            assertThat(countByMask(workers)).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            assertThat(jvm.agentLines()).filteredOn(l -> l.startsWith("warning:")).singleElement().asString()
                    .contains("already running in this JVM; this copy does nothing");
            assertThat(jvm.agentLines()).filteredOn(l -> l.startsWith("rule ")).singleElement().asString()
                    .startsWith("rule twice ");
            for (Worker w : workers) {
                assertThat(jvm.agentLines().stream().filter(l -> l.startsWith("pinned \"" + w.name() + "\"")))
                        .as("pin lines of %s", w).hasSize(1);
            }
            Properties status = jvm.agentProperties();
            assertThat(AgentStatus.counter(status, "twice", "matched")).isEqualTo(2);
            assertThat(status.getProperty("affinity-agent.rules")).isEqualTo("twice");
            assertThat(jvm.agentLines()).noneMatch(l -> l.startsWith("error:"));
        }
    }

    /**
     * JDK 24+ warns on stderr when the application's own ByteBuddy uses sun.misc.Unsafe; such an
     * application allows it, as this flag does, and then stderr holds nothing but our lines.
     */
    private static void quietTheApplicationsByteBuddy(Jdk jdk, TargetJvm.Builder builder) {
        if (jdk.feature() >= 24) {
            builder.jvmOption("--sun-misc-unsafe-memory-access=allow");
        }
    }

    /** Neither agent, nor the application's ByteBuddy, printed anything on stderr but our own lines. */
    private static void onlyAgentLinesOnStderr(TargetJvm jvm) {
        assertThat(jvm.stderr()).as("stderr of %s", jvm.pid()).allMatch(l -> l.startsWith("[affinity-agent] "),
                "is an [affinity-agent] line");
    }

    /** Their agent: TpeCountingAgent from the test classes, in a jar of its own with its manifest. */
    private Path tpeCountingAgentJar() {
        return TestAgentJar.build(dir, TpeCountingAgent.class);
    }
}
