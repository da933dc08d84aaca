package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every config the README shows passes {@code check} on any machine: the ones that name a topology
 * file with that file (the README's complete server.topology), the others with {@code --cpus 0-7}.
 */
class ReadmeConfigsTest {

    @TempDir
    Path dir;

    /** The README's fenced blocks that start with a given line. */
    private static List<String> blocks(String firstLinePrefix) throws Exception {
        List<String> lines = Files.readAllLines(Paths.get("../README.md"), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("```") && i + 1 < lines.size() && lines.get(i + 1).startsWith(firstLinePrefix)) {
                StringBuilder b = new StringBuilder();
                for (int j = i + 1; j < lines.size() && !lines.get(j).equals("```"); j++) {
                    b.append(lines.get(j)).append('\n');
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    void theReadmesConfigsPassCheck() throws Exception {
        List<String> topology = blocks("# server.topology");
        assertThat(topology).hasSize(1);
        Files.writeString(dir.resolve("server.topology"), topology.get(0));
        List<String> configs = new ArrayList<>(blocks("# /etc/affinity.properties"));
        configs.addAll(blocks("# server.properties"));
        configs.addAll(blocks("# Tomcat"));
        configs.addAll(blocks("# Netty"));
        configs.addAll(blocks("# Jetty"));
        assertThat(configs).hasSizeGreaterThanOrEqualTo(5);
        for (int i = 0; i < configs.size(); i++) {
            Path file = Files.writeString(dir.resolve("readme-" + i + ".properties"), configs.get(i));
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new CheckCommand());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(out, true));
            int status = configs.get(i).contains("topology =") ? cli.execute(file.toString())
                    : cli.execute(file.toString(), "--cpus", "0-7");
            assertThat(status).as("check of README config %d:\n%s\n%s", i, configs.get(i), out).isZero();
            assertThat(out.toString()).as("README config %d", i).doesNotContain(": warning: ");
        }
    }

    /** The server example says orders go on the cores the event loops left free, and check shows they do. */
    @Test
    void theServerExamplesOrdersGoOnTheCoresTheEventLoopsLeft() throws Exception {
        Files.writeString(dir.resolve("server.topology"), blocks("# server.topology").get(0));
        Path file = Files.writeString(dir.resolve("server.properties"), blocks("# server.properties").get(0));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new CheckCommand());
        cli.setOut(new PrintWriter(out, true));

        assertThat(cli.execute(file.toString(), "--workers", "2")).isZero();

        // Socket 0 less the reserved core is cores 1-3 (CPUs 1-3 and their siblings 9-11).
        assertThat(out.toString()).contains("spread    one CPU of 1-3,9-11, one core each first, across sockets;"
                + " cores no worker of events holds first\n").contains(""
                + "    worker 1 -> CPUs 1,9   core 1,9        socket 0  node 0\n"
                + "    worker 2 -> CPUs 2,10  core 2,10       socket 0  node 0\n"
                + "    ... 1 more core before two workers share one\n"
                + "  rule orders (thread-name=order-*): spread over CPUs 1-3,9-11 (3 cores on 1 socket); shares CPUs with"
                + " events\n"
                + "    worker 1 -> CPU 3      core 3,11       socket 0  node 0\n"
                + "    worker 2 -> CPU 11     core 3,11       socket 0  node 0\n");
    }
}
