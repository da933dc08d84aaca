package io.affinityagent.cli;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.hostlock.HostLockTable;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code status}'s section on host-wide CPU locks: what the target JVM holds (as its agent
 * published it) and, for its lock folder, who holds each CPU (read by {@link HostLockTable}).
 * Pure: given what was read, the text.
 */
final class HostLocksReport {

    private HostLocksReport() {
    }

    /**
     * @param directory the lock folder as the target JVM names it
     * @param heldHere  the CPUs the target's agent says it holds
     * @param targetPid the target JVM's pid, as this process sees it
     * @param entries   the folder's lock files
     */
    static String text(Path directory, CpuSet heldHere, long targetPid, List<HostLockTable.Entry> entries) {
        StringBuilder sb = new StringBuilder("host-wide CPU locks in ").append(directory).append(": this JVM holds ")
                .append(heldHere.isEmpty() ? "none" : (heldHere.size() == 1 ? "CPU " : "CPUs ") + heldHere).append('\n');
        if (entries.isEmpty()) {
            sb.append("  no lock file there\n");
            return sb.toString();
        }
        TextTable table = new TextTable("CPU", "PID", "USER", "SINCE", "HOLDER");
        for (HostLockTable.Entry e : entries) {
            String holder;
            if (!e.held()) {
                holder = "free: a file left by pid " + (e.filePid() >= 0 ? Long.toString(e.filePid()) : "?")
                        + ", which ended (it blocks nothing)";
            } else if (e.pid() == targetPid) {
                holder = "this JVM" + (e.holder().isEmpty() ? "" : ": " + e.holder());
            } else if (e.holder().isEmpty()) {
                holder = "OpenHFT AffinityLock (or another user of its lock files)";
            } else {
                holder = e.holder();
            }
            table.add(Integer.toString(e.cpu()), e.held() && e.pid() >= 0 ? Long.toString(e.pid()) : "-", e.owner(),
                    e.since().isEmpty() ? "-" : e.since(), holder);
        }
        sb.append(table.render("  "));
        return sb.toString();
    }
}
