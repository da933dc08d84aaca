package io.affinityagent.it;

import io.affinityagent.cpu.CpuSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * This machine's CPU layout, read from /sys by the tests themselves (not through the agent's
 * reader, which they check), so that expectations about sockets, NUMA nodes and cores follow
 * the machine the tests run on. Without /sys/devices/system/node (a kernel without NUMA) every
 * CPU is on node 0, as the agent takes it.
 */
final class MachineLayout {

    private static final Path CPUS = Paths.get("/sys/devices/system/cpu");
    private static final Path NODES = Paths.get("/sys/devices/system/node");

    private MachineLayout() {
    }

    static int socketOf(int cpu) {
        return Integer.parseInt(read(CPUS.resolve("cpu" + cpu + "/topology/physical_package_id")));
    }

    /** The hardware threads of the CPU's core (itself included). */
    static CpuSet coreOf(int cpu) {
        return parseList(read(CPUS.resolve("cpu" + cpu + "/topology/thread_siblings_list")));
    }

    static int nodeOf(int cpu) {
        for (Map.Entry<Integer, CpuSet> node : nodes().entrySet()) {
            if (node.getValue().contains(cpu)) {
                return node.getKey();
            }
        }
        return 0;
    }

    /** Those of {@code among} on the socket. */
    static CpuSet socketCpus(int socket, CpuSet among) {
        CpuSet.Builder b = CpuSet.builder();
        for (int cpu : among.toArray()) {
            if (socketOf(cpu) == socket) {
                b.add(cpu);
            }
        }
        return b.build();
    }

    /** Those of {@code among} on the NUMA node. */
    static CpuSet nodeCpus(int node, CpuSet among) {
        CpuSet.Builder b = CpuSet.builder();
        for (int cpu : among.toArray()) {
            if (nodeOf(cpu) == node) {
                b.add(cpu);
            }
        }
        return b.build();
    }

    /** As the agent's start-up line says it: "1 socket, 1 NUMA node, 2 cores, 2 CPUs". */
    static String summary(CpuSet cpus) {
        Set<Integer> sockets = new HashSet<>();
        Set<Integer> nodes = new HashSet<>();
        Set<String> cores = new HashSet<>();
        for (int cpu : cpus.toArray()) {
            sockets.add(socketOf(cpu));
            nodes.add(nodeOf(cpu));
            cores.add(coreOf(cpu).toString());
        }
        return count(sockets.size(), "socket") + ", " + count(nodes.size(), "NUMA node") + ", "
                + count(cores.size(), "core") + ", " + count(cpus.size(), "CPU");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static Map<Integer, CpuSet> nodes() {
        Map<Integer, CpuSet> nodes = new TreeMap<>();
        if (!Files.isDirectory(NODES)) {
            return nodes;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(NODES, "node[0-9]*")) {
            for (Path dir : dirs) {
                nodes.put(Integer.parseInt(dir.getFileName().toString().substring(4)), parseList(read(dir.resolve("cpulist"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return nodes;
    }

    /** The kernel's list syntax as /sys writes it: "0-3,8,10-11" (no strides). */
    static CpuSet parseList(String list) {
        CpuSet.Builder b = CpuSet.builder();
        for (String part : list.trim().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            if (dash < 0) {
                b.add(Integer.parseInt(part));
            } else {
                b.addRange(Integer.parseInt(part.substring(0, dash)), Integer.parseInt(part.substring(dash + 1)), 1);
            }
        }
        return b.build();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
