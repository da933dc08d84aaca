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
 * pays for it at start.
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
        // Either start mode: the lab says READY only once the agent's start is over (AgentStarted).
        Set<String> withAgent = poolClassesLoadedByReady(TargetJvm.with(jdk).config(config), dir.resolve("with.log"));
        assertThat(withAgent).as("pool classes loaded by the time the lab is ready, with the agent (without it: %s)",
                withoutAgent).isSubsetOf(withoutAgent);
    }

    private static Set<String> poolClassesLoadedByReady(TargetJvm.Builder builder, Path classLog) throws IOException {
        try (TargetJvm jvm = builder.jvmOption("-Xlog:class+load=info:file=" + classLog).start()) {
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
}
