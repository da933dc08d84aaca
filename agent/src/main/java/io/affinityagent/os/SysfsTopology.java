package io.affinityagent.os;

import io.affinityagent.config.CpuContext;
import io.affinityagent.config.CpuList;
import io.affinityagent.config.CpuListException;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the machine's CPU layout from sysfs: for each CPU, its hardware-thread siblings
 * ({@code cpuN/topology/thread_siblings_list}: the CPUs of its physical core) and its package
 * ({@code physical_package_id}: the socket); NUMA nodes from {@code node/nodeM/cpulist}.
 *
 * <p>Cores are grouped by their sibling lists, not by {@code core_id}, which repeats across
 * the dies of one package on some machines. Only the CPUs asked for are read (the process's
 * own, usually), so a container with 4 CPUs of a 256-CPU host reads a dozen small files.
 */
public final class SysfsTopology {

    private static final SysfsTopology SYSTEM = new SysfsTopology(Paths.get("/sys/devices/system"));

    private final Path root;

    /** @param root the directory holding {@code cpu/} and {@code node/}, normally /sys/devices/system */
    public SysfsTopology(Path root) {
        this.root = root;
    }

    public static SysfsTopology system() {
        return SYSTEM;
    }

    /** Where it reads, for messages. */
    public Path cpuDirectory() {
        return root.resolve("cpu");
    }

    /**
     * The layout of {@code cpus}. Throws, naming the file, when a CPU's topology cannot be
     * read (sysfs hidden in some sandboxes): the caller decides what to do without it.
     */
    public CpuTopology read(CpuSet cpus) throws IOException {
        Map<Integer, Integer> nodeOfCpu = readNodes(cpus);
        CpuTopology.Builder b = CpuTopology.builder(cpuDirectory().toString());
        Map<Integer, int[]> coreOfCpu = new HashMap<>(); // cpu -> {coreKey, socket}
        for (int cpu : cpus.toArray()) {
            int[] core = coreOfCpu.get(cpu);
            if (core == null) {
                Path dir = cpuDirectory().resolve("cpu" + cpu).resolve("topology");
                CpuSet siblings = readList(dir.resolve("thread_siblings_list"));
                int socket = Math.max(0, readInt(dir.resolve("physical_package_id")));
                if (!siblings.contains(cpu)) {
                    siblings = siblings.union(CpuSet.of(cpu));
                }
                core = new int[] {siblings.first(), socket};
                for (int sibling : siblings.toArray()) {
                    coreOfCpu.put(sibling, core); // siblings share a package: read it once per core
                }
            }
            Integer node = nodeOfCpu.get(cpu);
            try {
                b.add(cpu, core[1], core[0], node == null ? 0 : node);
            } catch (IllegalArgumentException e) {
                throw new IOException(cpuDirectory() + ": " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /** CPU to NUMA node, for the CPUs asked for; empty when the kernel has no NUMA support. */
    private Map<Integer, Integer> readNodes(CpuSet cpus) throws IOException {
        Map<Integer, Integer> nodeOfCpu = new HashMap<>();
        Path nodes = root.resolve("node");
        if (!Files.isDirectory(nodes)) {
            return nodeOfCpu;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(nodes)) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                if (!name.startsWith("node") || name.length() == 4 || !isDigits(name.substring(4))) {
                    continue;
                }
                int node = Integer.parseInt(name.substring(4));
                CpuSet nodeCpus = readList(p.resolve("cpulist")).intersect(cpus);
                for (int cpu : nodeCpus.toArray()) {
                    nodeOfCpu.put(cpu, node);
                }
            }
        }
        return nodeOfCpu;
    }

    private static CpuSet readList(Path file) throws IOException {
        String text = read(file);
        if (text.isEmpty()) {
            return CpuSet.empty(); // a memory-only NUMA node has an empty cpulist
        }
        try {
            return CpuList.parse(text).resolve(CpuContext.of(CpuSet.empty()));
        } catch (CpuListException e) {
            throw new IOException(file + ": cannot read '" + text + "': " + e.getMessage(), e);
        }
    }

    private static int readInt(Path file) throws IOException {
        String text = read(file);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": expected a number, found '" + text + "'", e);
        }
    }

    private static String read(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        }
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
