package io.affinityagent.agent;

import io.affinityagent.config.ConfigLoader;
import io.affinityagent.config.ConfigProblem;
import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.MachineCpuContext;
import io.affinityagent.os.ProcFs;
import io.affinityagent.placement.PlanPreview;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The plan half of {@code check}: loads a config as the agent would and prints its problems and,
 * rule by rule, where the first workers would go. For this process's CPUs and this machine's
 * layout, or, when the config names a topology file, for the whole machine that file describes
 * (so a 2-socket server's plan can be checked on a laptop). Pins nothing, starts no thread.
 */
public final class PlanCheck {

    private PlanCheck() {
    }

    /**
     * Prints the problems ({@code error: ...}, {@code warning: ...}) and the plan to {@code out}.
     *
     * @param workersPerRule workers to show per rule; 0 shows one per CPU (or core for per-core)
     * @return 0 when the config is valid (warnings allowed), 1 when it has errors or cannot be read
     */
    public static int print(Path config, int workersPerRule, PrintStream out) {
        CpuSet processCpus;
        try {
            processCpus = ProcFs.system().selfAllowedCpus();
        } catch (IOException e) {
            out.println("error: cannot read the CPUs this process may use: " + e.getMessage());
            return 1;
        }
        ConfigLoader.Result result = ConfigLoader.load(config.toAbsolutePath(),
                new MachineCpuContext(processCpus), ConfigLoader.Overrides.NONE,
                ConfigLoader.Target.TOPOLOGY_FILE);
        for (ConfigProblem p : result.problems()) {
            out.println((p.isError() ? "error: " : "warning: ") + p);
        }
        if (!result.ok()) {
            int n = result.errors().size();
            out.println("error: the config has " + n + (n == 1 ? " error" : " errors") + "; the agent would pin nothing");
            return 1;
        }
        for (String line : new PlanPreview(result.config()).lines(workersPerRule)) {
            out.println(line);
        }
        return 0;
    }
}
