package io.affinityagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which starts check the config in premain: those where on-error = fail must stop the JVM before main. */
class BackgroundStartTest {

    @TempDir
    Path dir;

    private Path config(String... lines) throws IOException {
        return Files.write(dir.resolve("affinity.properties"), String.join("\n", lines).getBytes());
    }

    @Test
    void onErrorFailInTheFileIsCheckedBeforeMain() throws IOException {
        Path file = config("rule.a.thread-name = a-*", "  on-error =  fail  ", "rule.a.cpus = 0");
        assertThat(BackgroundStart.mustCheckBeforeMain(AgentArguments.parse("config=" + file))).isTrue();
    }

    @Test
    void onErrorFailInTheArgumentsIsCheckedBeforeMainEvenWithoutAFile() {
        Path missing = dir.resolve("missing.properties");
        assertThat(BackgroundStart.mustCheckBeforeMain(AgentArguments.parse("config=" + missing + ",on-error=fail")))
                .isTrue();
    }

    @Test
    void badArgumentsAreCheckedBeforeMain() {
        assertThat(BackgroundStart.mustCheckBeforeMain(AgentArguments.parse("confg=/x"))).isTrue();
    }

    @Test
    void everythingElseStartsInTheBackground() throws IOException {
        Path warn = config("rule.a.thread-name = a-*", "rule.a.cpus = 0", "on-error = warn");
        assertThat(BackgroundStart.mustCheckBeforeMain(AgentArguments.parse("config=" + warn))).isFalse();
        Path missing = dir.resolve("missing.properties");
        assertThat(BackgroundStart.mustCheckBeforeMain(AgentArguments.parse("config=" + missing))).isFalse();
        // The arguments win over the file, as the loader has it.
        Path fail = config("on-error = fail");
        assertThat(BackgroundStart.mustCheckBeforeMain(AgentArguments.parse("config=" + fail + ",on-error=warn")))
                .isFalse();
    }
}
