package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's own words: help as a command. */
class AffinityAgentCliTest {

    private String out;
    private String err;

    private int run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            return AffinityAgentCli.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void helpIsACommandForTheWholeLineAndForEachCommand() {
        assertThat(run("help")).isZero();
        assertThat(out).contains("Commands:").contains("attach").contains("status").contains("check");
        assertThat(err).doesNotContain("Did you mean");

        assertThat(run("help", "check")).isZero();
        assertThat(out).contains("--pid").contains("--cpus");
    }
}
