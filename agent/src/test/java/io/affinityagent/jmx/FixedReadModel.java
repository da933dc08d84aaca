package io.affinityagent.jmx;

import java.util.ArrayList;
import java.util.List;

/** A read model of fixed values, that records the commands it gets. */
final class FixedReadModel implements AgentReadModel {

    final List<String> commands = new ArrayList<>();
    PlanSnapshot plan = new PlanSnapshot("active", "/etc/affinity.properties", "JNI helper (x86-64)", "0-3", List.of(
            new RuleSnapshot("orders", "thread-name=order-*", "0-1", "round-robin", new int[] {1, 1}, 3, 3, 0, 1),
            new RuleSnapshot("batch", "pool=thread-pool", "2-3", "shared", new int[] {4}, 5, 4, 1, 0)));
    List<WorkerSnapshot> workers = new ArrayList<>();

    @Override
    public PlanSnapshot plan() {
        return plan;
    }

    @Override
    public List<WorkerSnapshot> workers() {
        return workers;
    }

    @Override
    public List<HookTimeSnapshot> ownTime() {
        return List.of(new HookTimeSnapshot("worker-start", 12_900_000, 2003, 479_918_800, 469_900_000));
    }

    @Override
    public String replan(String configFile) {
        if (configFile.endsWith("bad.properties")) {
            throw new IllegalArgumentException(configFile + ":7: error: rule.orders.cpus: '2-x' in '2-x': expected a CPU"
                    + " number (0-8191), found 'x'");
        }
        commands.add("replan " + configFile);
        return "pinned 2 running workers in 3 ms";
    }

    @Override
    public String detach() {
        commands.add("detach");
        return "detached: 2 workers got the process's CPUs back";
    }
}
