package io.affinityagent.cpu;

/**
 * Made-up machines for the unit tests, numbered the way Linux numbers real ones: the first
 * hardware thread of every core first, the second threads after them.
 */
public final class Topologies {

    private Topologies() {
    }

    /** This build machine: 1 socket, 2 cores, no SMT (CPUs 0 and 1). */
    public static CpuTopology oneSocketTwoCpus() {
        return CpuTopology.builder("1 socket x 2 cores").add(0, 0, 0, 0).add(1, 0, 1, 0).build();
    }

    /**
     * 2 sockets x 8 cores x 2 hardware threads, one NUMA node per socket: 32 CPUs. Socket s, core c,
     * thread t is CPU {@code 16 t + 8 s + c}: socket 0 is 0-7 and 16-23, CPU 16 is CPU 0's sibling.
     */
    public static CpuTopology twoSocketsEightCoresTwoThreads() {
        CpuTopology.Builder b = CpuTopology.builder("2 sockets x 8 cores x 2 threads");
        for (int t = 0; t < 2; t++) {
            for (int s = 0; s < 2; s++) {
                for (int c = 0; c < 8; c++) {
                    b.add(16 * t + 8 * s + c, s, c, s);
                }
            }
        }
        return b.build();
    }

    /**
     * 4 NUMA nodes x 16 cores, no SMT, two nodes per socket (sub-NUMA clustering): 64 CPUs.
     * Node n is CPUs {@code 16n .. 16n+15}; nodes 0-1 are socket 0, nodes 2-3 socket 1.
     */
    public static CpuTopology fourNodesSixteenCores() {
        CpuTopology.Builder b = CpuTopology.builder("4 nodes x 16 cores");
        for (int cpu = 0; cpu < 64; cpu++) {
            b.add(cpu, cpu / 32, cpu, cpu / 16);
        }
        return b.build();
    }

    /**
     * 2 sockets x 32 cores x 2 hardware threads, one node per socket: 128 CPUs. Socket 0 is
     * CPUs 0-31 and 64-95; CPU c+64 is CPU c's sibling.
     */
    public static CpuTopology twoSocketsThirtyTwoCoresTwoThreads() {
        CpuTopology.Builder b = CpuTopology.builder("2 sockets x 32 cores x 2 threads");
        for (int cpu = 0; cpu < 128; cpu++) {
            int core = cpu % 64;
            b.add(cpu, core / 32, core, core / 32);
        }
        return b.build();
    }
}
