package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyFileTest {

    private static final Path FILE = Paths.get("/etc/affinity/server.topology");

    private final List<ConfigProblem> problems = new ArrayList<>();

    private CpuTopology parse(String... lines) {
        return TopologyFile.parse(FILE, String.join("\n", lines), problems);
    }

    @Test
    void oneLinePerCpuWithCommentsAndBlankLines() {
        CpuTopology t = parse(
                "# 2 sockets x 1 core x 2 threads",
                "cpu=0 core=0 socket=0 node=0",
                "",
                "cpu=1 core=0 socket=1 node=1   # core numbers restart on each socket",
                "cpu=2 core=0 socket=0 node=0",
                "cpu=3  core=0\tsocket=1 node=1");

        assertThat(problems).isEmpty();
        assertThat(t.cores()).extracting(c -> c.cpus().toString()).containsExactly("0,2", "1,3");
        assertThat(t.nodeOf(3)).isEqualTo(1);
        assertThat(t.source()).isEqualTo(FILE.toString());
        assertThat(t.fromHardware()).isTrue();
    }

    @Test
    void withoutNodesEachSocketIsANode() {
        CpuTopology t = parse("cpu=0 core=0 socket=0", "cpu=1 core=0 socket=1");

        assertThat(problems).isEmpty();
        assertThat(t.nodes()).containsExactly(0, 1);
        assertThat(t.nodeOf(1)).isEqualTo(1);
    }

    @Test
    void readsTheOutputOfLscpu() {
        CpuTopology t = parse(
                "# The following is the parsable format, which can be fed to other",
                "# programs. Each different item in every column has an unique ID",
                "# starting usually from zero.",
                "# CPU,Core,Socket,Node",
                "0,0,0,0",
                "1,1,0,0",
                "2,0,0,0",
                "3,1,0,0");

        assertThat(problems).isEmpty();
        assertThat(t.cores()).extracting(c -> c.cpus().toString()).containsExactly("0,2", "1,3");
    }

    @Test
    void lscpuWithoutNumaLeavesTheNodeEmpty() {
        CpuTopology t = parse("0,0,0,", "1,1,0,");

        assertThat(problems).isEmpty();
        assertThat(t.nodes()).containsExactly(0);
    }

    @Test
    void everyProblemIsNamedWithLineAndKey() {
        CpuTopology t = parse(
                "cpu=0 core=0 socket=0 node=0",
                "cpu=0 core=1 socket=0 node=0",
                "cpu=1 core=x socket=0 node=0",
                "cpu=2 cores=1 socket=0",
                "cpu=3 socket=0 node=0",
                "cpu=4 core=2 socket=0 node=0 node=1",
                "cpu=99999 core=0 socket=0 node=0",
                "hello",
                "1,2");

        assertThat(t).isNull();
        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                FILE + ":2: cpu: CPU 0 is given twice (first on line 1)",
                FILE + ":3: core: 'x' is not a number from 0 to 1000000",
                FILE + ":4: cores: unknown key; expected cpu, core, socket or node; did you mean 'core'?",
                FILE + ":5: core: is missing; every line gives cpu, core and socket (node is optional)",
                FILE + ":6: node: is given twice on this line",
                FILE + ":7: cpu: '99999' is not a number from 0 to 8191",
                FILE + ":8: 'hello' is neither 'cpu=N core=C socket=S node=M' nor the CPU,CORE,SOCKET,NODE columns"
                        + " of lscpu -p",
                FILE + ":9: '1,2' is neither 'cpu=N core=C socket=S node=M' nor the CPU,CORE,SOCKET,NODE columns"
                        + " of lscpu -p");
        assertThat(problems).allMatch(ConfigProblem::isError);
    }

    @Test
    void nodeOnSomeLinesOnlyIsAnError() {
        assertThat(parse("cpu=0 core=0 socket=0 node=0", "cpu=1 core=1 socket=0")).isNull();
        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                FILE + ":2: node: is missing, but line 1 gives one; give node on every line or on none (then each"
                        + " socket is a node)");
    }

    @Test
    void aCoreOnTwoNodesIsAnError() {
        assertThat(parse("cpu=0 core=0 socket=0 node=0", "cpu=1 core=0 socket=0 node=1")).isNull();
        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                FILE + ":2: node: core 0 of socket 0: CPU 1 is on node 1 but the other hardware threads of its core are"
                        + " on node 0; a core is on one node");
    }

    @Test
    void anEmptyFileIsAnError() {
        assertThat(parse("# nothing", "")).isNull();
        assertThat(problems).extracting(ConfigProblem::toString)
                .containsExactly(FILE + ": describes no CPU; expected lines such as 'cpu=0 core=0 socket=0 node=0'");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.topology");
        assertThat(TopologyFile.read(missing, problems)).isNull();
        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(missing + ": no such file");

        Path file = dir.resolve("ok.topology");
        Files.writeString(file, "cpu=5 core=0 socket=0\n");
        assertThat(TopologyFile.read(file, new ArrayList<>()).cpus()).isEqualTo(CpuSet.of(5));
    }
}
