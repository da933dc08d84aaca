package io.affinityagent.placement;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * The placements that know the machine: {@code spread}, {@code compact} and {@code per-core}.
 * Slots are listed in topology order (socket, NUMA node, core, hardware thread). A new worker
 * takes the least-loaded slot by the strategy's measure; among equally loaded slots, the one
 * freed most recently (so a replacement lands on its predecessor's CPU or core), else the
 * first in topology order.
 *
 * <ul>
 * <li>{@code spread}: one CPU per slot. Loads compare as (CPU, then its core, then its socket,
 * then its NUMA node), so workers go one per physical core, alternating sockets and nodes, and a
 * core's second hardware thread is used only once every core has a worker.</li>
 * <li>{@code compact}: one CPU per slot, compared by CPU load only, so workers fill a core's
 * hardware threads, then the next core, then the next socket.</li>
 * <li>{@code per-core}: one physical core per slot (all its hardware threads in the rule), in
 * topology order.</li>
 * </ul>
 * More workers than slots: the next round starts again in the same order, one more per slot.
 */
public final class TopologyPlacement extends SlottedPlacement {

    private final boolean balanceDomains;
    /** For each slot: its core, socket and node, as dense indices into the load arrays below. */
    private final int[] coreOf;
    private final int[] socketOf;
    private final int[] nodeOf;
    private final int[] coreLoad;
    private final int[] socketLoad;
    private final int[] nodeLoad;

    private TopologyPlacement(List<CpuSet> masks, List<CpuTopology.Core> cores, CpuTopology topology,
                              boolean balanceDomains) {
        super(masks);
        this.balanceDomains = balanceDomains;
        int n = masks.size();
        coreOf = new int[n];
        socketOf = new int[n];
        nodeOf = new int[n];
        int[] socketIds = topology.sockets();
        int[] nodeIds = topology.nodes();
        for (int i = 0; i < n; i++) {
            CpuTopology.Core core = cores.get(i);
            coreOf[i] = core.index();
            socketOf[i] = indexOf(socketIds, core.socket());
            nodeOf[i] = indexOf(nodeIds, core.node());
        }
        coreLoad = new int[topology.cores().size()];
        socketLoad = new int[socketIds.length];
        nodeLoad = new int[nodeIds.length];
    }

    /** {@code spread} over {@code cpus}, laid out as {@code topology} says. */
    public static TopologyPlacement spread(CpuSet cpus, CpuTopology topology) {
        return onePerCpu(cpus, topology, true);
    }

    /** {@code compact} over {@code cpus}, laid out as {@code topology} says. */
    public static TopologyPlacement compact(CpuSet cpus, CpuTopology topology) {
        return onePerCpu(cpus, topology, false);
    }

    /** {@code per-core}: one slot per physical core of {@code cpus}, its mask the core's CPUs in the set. */
    public static TopologyPlacement perCore(CpuSet cpus, CpuTopology topology) {
        CpuTopology t = within(cpus, topology);
        List<CpuSet> masks = new ArrayList<>();
        for (CpuTopology.Core c : t.cores()) {
            masks.add(c.cpus());
        }
        return new TopologyPlacement(masks, t.cores(), t, false);
    }

    private static TopologyPlacement onePerCpu(CpuSet cpus, CpuTopology topology, boolean balanceDomains) {
        CpuTopology t = within(cpus, topology);
        List<CpuSet> masks = new ArrayList<>();
        List<CpuTopology.Core> cores = new ArrayList<>();
        for (CpuTopology.Core c : t.cores()) {
            for (int cpu : c.cpus().toArray()) {
                masks.add(CpuSet.of(cpu));
                cores.add(c);
            }
        }
        return new TopologyPlacement(masks, cores, t, balanceDomains);
    }

    /** The topology seen through the rule's CPUs; a CPU the topology does not know is a core of its own. */
    private static CpuTopology within(CpuSet cpus, CpuTopology topology) {
        CpuSet unknown = cpus.minus(topology.cpus());
        if (unknown.isEmpty()) {
            return topology.restrictTo(cpus);
        }
        CpuTopology.Builder b = CpuTopology.builder(topology.source());
        int nextCore = Integer.MAX_VALUE / 2; // distinct from any real core key
        for (int cpu : cpus.toArray()) {
            CpuTopology.Core c = topology.coreOf(cpu);
            if (c == null) {
                b.add(cpu, 0, nextCore++, 0);
            } else {
                b.add(cpu, c.socket(), c.index(), c.node());
            }
        }
        return b.build();
    }

    @Override
    public synchronized Slot acquire(CpuSet within) {
        weigh();
        int best = -1;
        for (int i = 0; i < slots.length; i++) {
            if (allowed(i, within) && (best < 0 || better(i, best))) {
                best = i;
            }
        }
        return best < 0 ? null : take(best);
    }

    @Override
    void taken(int i) {
        coreLoad[coreOf[i]]++;
        socketLoad[socketOf[i]]++;
        nodeLoad[nodeOf[i]]++;
    }

    @Override
    void freed(int i) {
        coreLoad[coreOf[i]]--;
        socketLoad[socketOf[i]]--;
        nodeLoad[nodeOf[i]]--;
    }

    /** Whether slot i should be taken before slot j (j comes first in topology order). */
    private boolean better(int i, int j) {
        int c = Long.compare(weight[i], weight[j]);
        if (c == 0 && balanceDomains) {
            c = Integer.compare(coreLoad[coreOf[i]], coreLoad[coreOf[j]]);
            if (c == 0) {
                c = Integer.compare(socketLoad[socketOf[i]], socketLoad[socketOf[j]]);
            }
            if (c == 0) {
                c = Integer.compare(nodeLoad[nodeOf[i]], nodeLoad[nodeOf[j]]);
            }
        }
        if (c != 0) {
            return c < 0;
        }
        return freedAt[i] > freedAt[j]; // freed more recently; never freed (0) loses, order breaks the rest
    }

    private static int indexOf(int[] ids, int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        throw new IllegalArgumentException("no domain " + id);
    }
}
