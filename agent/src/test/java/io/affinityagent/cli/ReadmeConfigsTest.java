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
}
