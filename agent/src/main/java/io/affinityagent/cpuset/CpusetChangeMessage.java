package io.affinityagent.cpuset;

import io.affinityagent.cpu.CpuSet;
import java.util.List;

/**
 * The one line a cpuset change is reported with, e.g.
 * {@code cpuset changed 0-7 -> 2-5: re-pinned 12 workers; rule batch lost CPUs 6-7}. Pure.
 */
public final class CpusetChangeMessage {

    private CpusetChangeMessage() {
    }

    /**
     * @param repinned workers placed afresh and pinned
     * @param failed   workers whose pin the kernel refused (they run on what the kernel left them)
     */
    public static String format(CpuSet before, CpuSet after, List<RuleChange> changes, int repinned, int failed) {
        StringBuilder sb = new StringBuilder("cpuset changed ").append(before).append(" -> ").append(after)
                .append(": re-pinned ").append(repinned).append(repinned == 1 ? " worker" : " workers");
        if (failed > 0) {
            sb.append(" (").append(failed).append(failed == 1 ? " pin" : " pins").append(" failed)");
        }
        boolean anyChanged = false;
        for (RuleChange c : changes) {
            if (!c.changed()) {
                continue;
            }
            anyChanged = true;
            sb.append("; rule ").append(c.rule());
            if (c.hasNoCpuLeft()) {
                sb.append(" has no CPU left (").append(c.noCpuReason()).append("): its workers get the process's CPUs ")
                        .append(c.after());
            } else if (c.gained().isEmpty()) {
                sb.append(" lost ").append(cpus(c.lost()));
            } else if (c.lost().isEmpty()) {
                sb.append(" gained ").append(cpus(c.gained()));
            } else {
                sb.append(" now on ").append(cpus(c.after())).append(" (was ").append(c.before()).append(')');
            }
        }
        if (!anyChanged && !changes.isEmpty()) {
            sb.append("; every rule kept its CPUs");
        }
        return sb.toString();
    }

    private static String cpus(CpuSet set) {
        return (set.size() == 1 ? "CPU " : "CPUs ") + set;
    }
}
