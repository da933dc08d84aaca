package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application with its own, different versions of ByteBuddy, JNA and ASM runs unchanged
 * with the agent, and is pinned: the agent's runtime never meets the application's libraries.
 */
class ClassPathClashIT {

    @TempDir
    Path dir;

    /** Every test here needs two CPUs (skipped where the process may use one). */
    private final TwoCpus cpus = TwoCpus.get();

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void anApplicationUsingItsOwnByteBuddyJnaAndAsmRunsUnchangedAndIsPinned(Jdk jdk) {
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = " + cpus.both);
        File libs = Paths.get(System.getProperty("affinity.test.clash-libs", "target/clash-libs")).toFile();
        String classpath = TargetJvm.APPS_CLASSPATH + File.pathSeparator + Arrays.stream(libs.listFiles())
                .map(File::getPath).sorted().collect(Collectors.joining(File.pathSeparator));
        TargetJvm.Builder builder = TargetJvm.with(jdk).config(config).classpath(classpath)
                .main("io.affinityagent.it.apps.ClashApp");
        if (jdk.feature() >= 22) {
            builder.jvmOption("--enable-native-access=ALL-UNNAMED"); // for the application's own JNA
        }
        try (TargetJvm jvm = builder.launch()) {
            assertThat(jvm.awaitExit()).as(jvm.describe()).isZero();
            String line = jvm.awaitStdout(l -> l.startsWith("CLASH "));

            assertThat(line).contains("bytebuddy=byte-buddy-1.14.18.jar (made by the app's ByteBuddy)",
                    "jna=5.13.0 from jna-5.13.0.jar", "getpid=true", "asm=io/affinityagent/it/apps/ClashApp from asm-9.2.jar");
            String workers = line.substring(line.indexOf("workers=") + "workers=".length());
            assertThat(Arrays.stream(workers.split(",")).map(w -> w.split(":")[1]).sorted().collect(Collectors.toList()))
                    .containsExactly(cpus.s0, cpus.s1);
            TargetAssertions.quietApartFromTheAgent(jvm);
            TargetAssertions.noAgentProblems(jvm);
        }
    }
}
