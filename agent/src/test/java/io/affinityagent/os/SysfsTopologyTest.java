package io.affinityagent.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsTopologyTest {

    @TempDir
    Path sys;

    /** A sysfs tree copied from a 2-socket, hyper-threaded machine: CPU c+4 is CPU c's sibling. */
    private void twoSocketsTwoCoresTwoThreads() throws IOException {
        for (int cpu = 0; cpu < 8; cpu++) {
            int core = cpu % 4;
            Path topology = Files.createDirectories(sys.resolve("cpu/cpu" + cpu + "/topology"));
            Files.writeString(topology.resolve("thread_siblings_list"), core + "," + (core + 4) + "\n");
            Files.writeString(topology.resolve("physical_package_id"), (core / 2) + "\n");
            Files.writeString(topology.resolve("core_id"), (core % 2) + "\n");
        }
        Files.createDirectories(sys.resolve("node/node0"));
        Files.createDirectories(sys.resolve("node/node1"));
        Files.createDirectories(sys.resolve("node/node2")); // memory only: no CPU
        Files.writeString(sys.resolve("node/node0/cpulist"), "0-1,4-5\n");
        Files.writeString(sys.resolve("node/node1/cpulist"), "2-3,6-7\n");
        Files.writeString(sys.resolve("node/node2/cpulist"), "\n");
        Files.writeString(sys.resolve("node/online"), "0-2\n");
    }

    @Test
    void readsCoresBySiblingsSocketsAndNodes() throws IOException {
        twoSocketsTwoCoresTwoThreads();

        CpuTopology t = new SysfsTopology(sys).read(CpuSet.range(0, 7));

        assertThat(t.cores()).extracting(c -> c.cpus().toString()).containsExactly("0,4", "1,5", "2,6", "3,7");
        assertThat(t.cores()).extracting(CpuTopology.Core::socket).containsExactly(0, 0, 1, 1);
        assertThat(t.cores()).extracting(CpuTopology.Core::node).containsExactly(0, 0, 1, 1);
        assertThat(t.source()).isEqualTo(sys.resolve("cpu").toString());
    }

    @Test
    void readsOnlyTheCpusAskedFor() throws IOException {
        twoSocketsTwoCoresTwoThreads();
        Files.delete(sys.resolve("cpu/cpu3/topology/thread_siblings_list")); // never read

        CpuTopology t = new SysfsTopology(sys).read(CpuSet.of(0, 2, 6));

        assertThat(t.cpus()).isEqualTo(CpuSet.of(0, 2, 6));
        assertThat(t.cores()).extracting(c -> c.cpus().toString()).containsExactly("0", "2,6");
    }

    @Test
    void withoutNumaEveryCpuIsOnNodeZero() throws IOException {
        twoSocketsTwoCoresTwoThreads();
        for (String n : new String[] {"node0", "node1", "node2"}) {
            Files.delete(sys.resolve("node/" + n + "/cpulist"));
            Files.delete(sys.resolve("node/" + n));
        }

        assertThat(new SysfsTopology(sys).read(CpuSet.range(0, 7)).nodes()).containsExactly(0);
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        twoSocketsTwoCoresTwoThreads();
        Files.delete(sys.resolve("cpu/cpu1/topology/physical_package_id"));

        assertThatThrownBy(() -> new SysfsTopology(sys).read(CpuSet.range(0, 7)))
                .hasMessage(sys.resolve("cpu/cpu1/topology/physical_package_id") + ": no such file");
    }

    @Test
    void readsThisMachine() throws Exception {
        CpuSet mine = ProcFs.system().selfAllowedCpus();

        CpuTopology t = SysfsTopology.system().read(mine);

        assertThat(t.cpus()).isEqualTo(mine);
        assertThat(t.cores()).isNotEmpty();
        for (CpuTopology.Core core : t.cores()) {
            for (int cpu : core.cpus().toArray()) {
                String siblings = Files.readString(Path.of("/sys/devices/system/cpu/cpu" + cpu
                        + "/topology/thread_siblings_list")).trim();
                CpuSet expected = io.affinityagent.config.CpuList.parse(siblings)
                        .resolve(io.affinityagent.config.CpuContext.of(CpuSet.empty())).intersect(mine);
                assertThat(core.cpus()).as("core of CPU %d", cpu).isEqualTo(expected);
            }
        }
    }
}
