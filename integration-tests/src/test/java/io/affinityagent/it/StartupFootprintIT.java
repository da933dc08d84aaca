package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the agent's start makes the JVM do that the application did not ask for. Each pool class
 * the agent hooks costs an ASM pass when it loads; the agent must not load one itself (looking
 * for running workers, telling a thread's kind), or an application that never uses that pool
 * pays for it at start. One exception, on purpose: ForkJoinPool, which the agent initialises
 * before its first pin, on a thread it has not pinned, so that the common pool sizes itself from
 * the process's CPUs (jdk.SchedulerSizing); at JVM start its start thread does that last.
 */
class StartupFootprintIT {

    private static final Set<String> HOOKED_POOL_CLASSES = Set.of("java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ThreadPoolExecutor$Worker", "java.util.concurrent.ForkJoinPool",
            "java.util.concurrent.ForkJoinWorkerThread");

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void theAgentsStartLoadsNoPoolClassTheApplicationHasNotLoaded(Jdk jdk) throws IOException {
        Path config = Configs.writeAs(dir.resolve("pools.properties"), "rules = orders, common",
                "rule.orders.thread-name = order-*", "rule.orders.cpus = all",
                "rule.common.pool = common-pool", "rule.common.cpus = all");
        Set<String> withoutAgent = poolClassesLoadedByReady(TargetJvm.with(jdk), dir.resolve("without.log"));
        // What initialising ForkJoinPool loads on this JDK (ForkJoinWorkerThread too, on some).
        Path initLog = dir.resolve("common-pool-init.log");
        try (TargetJvm init = TargetJvm.with(jdk).main("io.affinityagent.it.apps.CommonPoolInit")
                .jvmOption("-Xlog:class+load=info:file=" + initLog).launch()) {
            assertThat(init.awaitExit()).isZero();
        }
        withoutAgent.addAll(poolClassesIn(initLog));
        // Either start mode: the lab says READY only once the agent's start is over (AgentStarted).
        Path verification = dir.resolve("verification.log");
        Set<String> withAgent = poolClassesLoadedByReady(TargetJvm.with(jdk).config(config)
                .jvmOption("-Xlog:verification=info:file=" + verification), dir.resolve("with.log"));
        if (Files.readString(verification).contains("Verifying class java.util.concurrent.ForkJoinPool ")) {
            // A JVM that verifies the classes an agent transformed (JDK 25 does, 17 and 21 do not)
            // loads ForkJoinWorkerThread to check the argument our hook in ForkJoinPool passes.
            withoutAgent.add("java.util.concurrent.ForkJoinWorkerThread");
        }
        assertThat(withAgent).as("pool classes loaded by the time the lab is ready, with the agent (without it,"
                + " ForkJoinPool's initialisation included: %s)", withoutAgent).isSubsetOf(withoutAgent);
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void theAgentsStartHooksThreadItselfBeforeAnyWorkerStarts(Jdk jdk) throws IOException {
        // The first worker a rule matches used to retransform java.lang.Thread on its own start.
        Path config = Configs.writeAs(dir.resolve("orders.properties"), "rules = orders",
                "rule.orders.thread-name = order-*", "rule.orders.cpus = all");
        Path classLog = dir.resolve("thread.log");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).jvmOption("-Xlog:class+load=info:file=" + classLog)
                .start()) {
            assertThat(Files.readString(classLog)).as("no worker has started yet; the agent's start is over")
                    .contains("[class,load] java.lang.Thread source: __VM_RedefineClasses__");
        }
    }

    private static Set<String> poolClassesLoadedByReady(TargetJvm.Builder builder, Path classLog) throws IOException {
        try (TargetJvm jvm = builder.jvmOption("-Xlog:class+load=info:file=" + classLog).start()) {
            return poolClassesIn(classLog);
        }
    }

    private static Set<String> poolClassesIn(Path classLog) throws IOException {
        Set<String> loaded = new TreeSet<>();
        for (String line : Files.readAllLines(classLog)) {
            for (String name : HOOKED_POOL_CLASSES) {
                if (line.contains("[class,load] " + name + " ")) {
                    loaded.add(name);
                }
            }
        }
        return loaded;
    }
}
