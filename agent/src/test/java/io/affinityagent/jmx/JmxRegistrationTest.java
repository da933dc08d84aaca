package io.affinityagent.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the MXBean appears: only once the platform MBeanServer exists, never created by the agent
 * unless asked, and in the server the application's own builder made. Each case in a JVM of its
 * own ({@link JmxRegistrationProbe}), since the platform server is made once per JVM.
 */
class JmxRegistrationTest {

    private static List<String> probe(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return List.of(out.split("\n"));
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void registeredOnlyOnceTheApplicationCreatedThePlatformServerWithItsOwnBuilder() throws Exception {
        List<String> out = probe("-Djavax.management.builder.initial=" + JmxRegistrationProbe.OwnBuilder.class.getName(),
                "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
                JmxRegistrationProbe.class.getName());

        assertThat(out).filteredOn(l -> l.startsWith("STEP ")).containsExactly(
                "STEP no server: registered=false servers=0",
                "STEP the application's own server: registered=false",
                "STEP platform built by the application's builder: true",
                "STEP throttled: registered=false",
                "STEP looked again: registered=true inPlatform=true inOwn=false");
        // The agent's looks before any server existed initialised no logging.
        List<String> beforeAnyServer = out.subList(0, indexOf(out, "STEP no server"));
        assertThat(beforeAnyServer).noneMatch(l -> l.contains(" java.util.logging.") || l.contains(" sun.util.logging."));
        assertThat(beforeAnyServer).noneMatch(l -> l.contains("] java.lang.management.ManagementFactory "));
    }
}
