package io.affinityagent.cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How CPUs are laid out: the physical core, the socket (package) and the NUMA node of each one.
 * Immutable. Read from {@code /sys} by the {@code os} package, from a topology file by the
 * {@code config} package, or made up by tests; the placements only ever see this value.
 *
 * <p>Cores are listed in topology order: by socket, then NUMA node, then lowest CPU id. That is
 * the order {@code compact} fills them and {@code per-core} hands them out.
 */
public final class CpuTopology {

    /** One physical core: its hardware threads (one CPU id each), its socket and NUMA node. */
    public static final class Core {
        private final int index;
        private final int socket;
        private final int node;
        private final CpuSet cpus;

        Core(int index, int socket, int node, CpuSet cpus) {
            this.index = index;
            this.socket = socket;
            this.node = node;
            this.cpus = cpus;
        }

        /** Position in {@link CpuTopology#cores()}. */
        public int index() {
            return index;
        }

        public int socket() {
            return socket;
        }

        public int node() {
            return node;
        }

        /** Its hardware threads. */
        public CpuSet cpus() {
            return cpus;
        }

        @Override
        public String toString() {
            return "core " + cpus + " (socket " + socket + ", node " + node + ")";
        }
    }

    private final String source;
    private final boolean fromHardware;
    private final CpuSet cpus;
    private final List<Core> cores;
    private final Map<Integer, Core> coreOfCpu;

    private CpuTopology(String source, boolean fromHardware, List<Core> cores) {
        this.source = source;
        this.fromHardware = fromHardware;
        this.cores = Collections.unmodifiableList(cores);
        this.coreOfCpu = new HashMap<>();
        CpuSet.Builder all = CpuSet.builder();
        for (Core c : cores) {
            all.addAll(c.cpus);
            for (int cpu : c.cpus.toArray()) {
                coreOfCpu.put(cpu, c);
            }
        }
        this.cpus = all.build();
    }

    /**
     * A machine with no known layout: every CPU a core of its own, all on socket 0 and node 0.
     * Used when no placement needs the layout, or when it cannot be read.
     */
    public static CpuTopology flat(CpuSet cpus, String source) {
        List<Core> cores = new ArrayList<>(cpus.size());
        for (int cpu : cpus.toArray()) {
            cores.add(new Core(cores.size(), 0, 0, CpuSet.of(cpu)));
        }
        return new CpuTopology(source, false, cores);
    }

    public static Builder builder(String source) {
        return new Builder(source);
    }

    /** Where this came from, for messages: {@code /sys/devices/system/cpu}, a file, ... */
    public String source() {
        return source;
    }

    /** False for {@link #flat}: the layout is made up, not read. */
    public boolean fromHardware() {
        return fromHardware;
    }

    public CpuSet cpus() {
        return cpus;
    }

    /** The cores, in topology order (socket, node, lowest CPU). */
    public List<Core> cores() {
        return cores;
    }

    /** The core of a CPU, or null when the topology does not know it. */
    public Core coreOf(int cpu) {
        return coreOfCpu.get(cpu);
    }

    /** The socket of a CPU, or -1. */
    public int socketOf(int cpu) {
        Core c = coreOf(cpu);
        return c == null ? -1 : c.socket;
    }

    /** The NUMA node of a CPU, or -1. */
    public int nodeOf(int cpu) {
        Core c = coreOf(cpu);
        return c == null ? -1 : c.node;
    }

    /** The socket ids, ascending. */
    public int[] sockets() {
        TreeSet<Integer> ids = new TreeSet<>();
        for (Core c : cores) {
            ids.add(c.socket);
        }
        return toArray(ids);
    }

    /** The NUMA node ids, ascending. */
    public int[] nodes() {
        TreeSet<Integer> ids = new TreeSet<>();
        for (Core c : cores) {
            ids.add(c.node);
        }
        return toArray(ids);
    }

    /** The CPUs on a socket (empty when there is no such socket). */
    public CpuSet socketCpus(int socket) {
        CpuSet.Builder b = CpuSet.builder();
        for (Core c : cores) {
            if (c.socket == socket) {
                b.addAll(c.cpus);
            }
        }
        return b.build();
    }

    /** The CPUs of a NUMA node (empty when there is no such node). */
    public CpuSet nodeCpus(int node) {
        CpuSet.Builder b = CpuSet.builder();
        for (Core c : cores) {
            if (c.node == node) {
                b.addAll(c.cpus);
            }
        }
        return b.build();
    }

    /** The largest number of hardware threads of one core (2 with hyper-threading). */
    public int maxThreadsPerCore() {
        int max = 0;
        for (Core c : cores) {
            max = Math.max(max, c.cpus.size());
        }
        return max;
    }

    /**
     * The same machine seen through a CPU set (a rule's CPUs, a process's mask): CPUs outside
     * it are left out, and so are cores left with none.
     */
    public CpuTopology restrictTo(CpuSet subset) {
        List<Core> kept = new ArrayList<>();
        for (Core c : cores) {
            CpuSet in = c.cpus.intersect(subset);
            if (!in.isEmpty()) {
                kept.add(new Core(kept.size(), c.socket, c.node, in));
            }
        }
        return new CpuTopology(source, fromHardware, kept);
    }

    /** {@code 2 sockets, 2 NUMA nodes, 64 cores, 128 CPUs}. */
    public String summary() {
        int sockets = sockets().length;
        int nodes = nodes().length;
        return sockets + (sockets == 1 ? " socket, " : " sockets, ") + nodes + (nodes == 1 ? " NUMA node, " : " NUMA nodes, ")
                + cores.size() + (cores.size() == 1 ? " core, " : " cores, ") + cpus.size()
                + (cpus.size() == 1 ? " CPU" : " CPUs");
    }

    @Override
    public String toString() {
        return summary() + " (" + source + ")";
    }

    private static int[] toArray(TreeSet<Integer> ids) {
        int[] out = new int[ids.size()];
        int i = 0;
        for (int id : ids) {
            out[i++] = id;
        }
        return out;
    }

    /**
     * Collects CPUs one at a time. A core is identified by its socket and a core key (the
     * core id within the socket, or any number shared by the core's hardware threads).
     */
    public static final class Builder {
        private final String source;
        private final Map<Long, int[]> coreNodes = new HashMap<>();
        private final Map<Long, CpuSet.Builder> coreCpus = new TreeMap<>();
        private final java.util.BitSet seen = new java.util.BitSet();
        private boolean built;

        Builder(String source) {
            this.source = source;
        }

        /**
         * Adds a CPU. Throws IllegalArgumentException when the CPU is already there, or when
         * its core already has a hardware thread on another NUMA node.
         */
        public Builder add(int cpu, int socket, int coreKey, int node) {
            if (built) {
                throw new IllegalStateException("already built");
            }
            if (cpu < 0 || cpu > CpuSet.MAX_CPU) {
                throw new IllegalArgumentException("CPU " + cpu + " is outside 0-" + CpuSet.MAX_CPU);
            }
            if (seen.get(cpu)) {
                throw new IllegalArgumentException("CPU " + cpu + " is given twice");
            }
            if (socket < 0 || node < 0 || coreKey < 0) {
                throw new IllegalArgumentException("negative socket, core or node for CPU " + cpu);
            }
            long key = ((long) socket << 32) | (coreKey & 0xffffffffL);
            int[] n = coreNodes.get(key);
            if (n != null && n[0] != node) {
                throw new IllegalArgumentException("CPU " + cpu + " is on node " + node + " but the other hardware threads"
                        + " of its core are on node " + n[0]);
            }
            seen.set(cpu);
            coreNodes.put(key, new int[] {node});
            CpuSet.Builder c = coreCpus.get(key);
            if (c == null) {
                c = CpuSet.builder();
                coreCpus.put(key, c);
            }
            c.add(cpu);
            return this;
        }

        public CpuTopology build() {
            built = true;
            List<Core> unordered = new ArrayList<>();
            for (Map.Entry<Long, CpuSet.Builder> e : coreCpus.entrySet()) {
                int socket = (int) (e.getKey() >>> 32);
                unordered.add(new Core(0, socket, coreNodes.get(e.getKey())[0], e.getValue().build()));
            }
            Collections.sort(unordered, new Comparator<Core>() {
                @Override
                public int compare(Core a, Core b) {
                    if (a.socket != b.socket) {
                        return Integer.compare(a.socket, b.socket);
                    }
                    if (a.node != b.node) {
                        return Integer.compare(a.node, b.node);
                    }
                    return Integer.compare(a.cpus.first(), b.cpus.first());
                }
            });
            List<Core> cores = new ArrayList<>(unordered.size());
            for (Core c : unordered) {
                cores.add(new Core(cores.size(), c.socket, c.node, c.cpus));
            }
            return new CpuTopology(source, true, cores);
        }
    }
}
