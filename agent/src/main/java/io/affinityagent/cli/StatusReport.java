package io.affinityagent.cli;

import io.affinityagent.os.ProcFs;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code status} shows: every thread of the JVM as /proc tells it (the truth, agent or
 * not), with the rule that pinned it when the agent says so, as a table or as JSON. Built from
 * plain values, so it is tested without a JVM.
 */
final class StatusReport {

    /** One thread. */
    static final class Row {
        final int tid;
        final String name;
        /** The rule that pinned it; null when none did, or when that is unknown. */
        final String rule;
        final String cpus;
        final int lastCpu;
        /** The CPUs the agent gave it, or null. */
        final String pinnedCpus;
        /** The kernel's name (15 bytes at most), or null when it is the name shown. */
        final String kernelName;
        /** "thread-pool", "thread", ... from the thread dump, or null without one. */
        final String kind;
        /** The pool's class, or the class whose code a plain thread runs; null when unknown. */
        final String pool;

        Row(int tid, String name, String rule, String cpus, int lastCpu, String pinnedCpus) {
            this(tid, name, rule, cpus, lastCpu, pinnedCpus, null, null, null);
        }

        Row(int tid, String name, String rule, String cpus, int lastCpu, String pinnedCpus, String kernelName,
            String kind, String pool) {
            this.tid = tid;
            this.name = name;
            this.rule = rule;
            this.cpus = cpus;
            this.lastCpu = lastCpu;
            this.pinnedCpus = pinnedCpus;
            this.kernelName = kernelName;
            this.kind = kind;
            this.pool = pool;
        }
    }

    private final long pid;
    private final String processName;
    private final String jvm;
    private final String processCpus;
    private final AgentState agent;
    private final String agentProblem;
    private final List<Row> rows;
    /** Where the names come from: the thread dump (and its cost), or why there is none; null: not said. */
    private final String namesNote;

    StatusReport(long pid, String processName, String jvm, String processCpus, AgentState agent, String agentProblem,
                 List<Row> rows) {
        this(pid, processName, jvm, processCpus, agent, agentProblem, rows, null);
    }

    /** The host-lock section ({@link HostLocksReport}), or null when the agent has no exclusive rule. */
    private String hostLocks;

    /**
     * @param jvm          "OpenJDK 64-Bit Server VM 25.0.1", or null when unknown
     * @param agent        what the agent published, or null when it could not be read
     * @param agentProblem why it could not be read (with agent null)
     */
    StatusReport(long pid, String processName, String jvm, String processCpus, AgentState agent, String agentProblem,
                 List<Row> rows, String namesNote) {
        this.namesNote = namesNote;
        this.pid = pid;
        this.processName = processName;
        this.jvm = jvm;
        this.processCpus = processCpus;
        this.agent = agent;
        this.agentProblem = agentProblem;
        this.rows = rows;
    }

    /** Adds the host-wide CPU lock section (text output). */
    StatusReport withHostLocks(String section) {
        this.hostLocks = section;
        return this;
    }

    /** Rows from /proc's threads, named and ruled by what the agent published (if known). */
    static List<Row> rows(List<ProcFs.ThreadInfo> threads, AgentState agent) {
        return rows(threads, agent, null);
    }

    /**
     * Rows from /proc's threads, named by the thread dump (or the agent, for threads it pinned),
     * with the kind and pool the dump shows; a thread the dump does not have (it started after)
     * keeps the kernel's name and kind "?".
     */
    static List<Row> rows(List<ProcFs.ThreadInfo> threads, AgentState agent, ThreadStackDump dump) {
        List<Row> out = new ArrayList<>();
        for (ProcFs.ThreadInfo t : threads) {
            AgentState.PinnedThread pinned = agent == null ? null : agent.threads().get(t.tid());
            ThreadStackDump.Entry dumped = dump == null ? null : dump.byNativeId(t.tid());
            String name = dumped != null ? dumped.name : pinned != null && pinned.name != null ? pinned.name : t.name();
            String kind = dump == null ? null : dumped == null ? "?" : dumped.seen.kind().label();
            String pool = dumped == null ? null : dumped.seen.poolClass();
            out.add(new Row(t.tid(), name, pinned != null ? pinned.rule : null, t.allowedCpus().toString(), t.lastCpu(),
                    pinned != null ? pinned.cpus : null, name.equals(t.name()) ? null : t.name(), kind, pool));
        }
        return out;
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("JVM ").append(pid).append(" (").append(processName).append(')');
        if (jvm != null) {
            sb.append(": ").append(jvm);
        }
        sb.append(", may use CPUs ").append(processCpus).append('\n');
        if (agent == null) {
            sb.append("agent: unknown (").append(agentProblem).append(")\n");
        } else if (agent.state() == AgentState.State.ABSENT) {
            sb.append("agent: not loaded").append(agent.backend() != null ? " (pinning: " + agent.backend() + ")" : "")
                    .append('\n');
        } else if (agent.state() == AgentState.State.DETACHED) {
            sb.append("agent ").append(agent.version()).append(": detached, pins nothing\n");
        } else {
            sb.append("agent ").append(agent.version()).append(": active, config ").append(agent.config()).append('\n');
            if (agent.backend() != null) { // an agent older than the backend property publishes none
                sb.append("  pinning through ").append(agent.backend()).append('\n');
            }
            TextTable rules = new TextTable("RULE", "CPUS", "STRATEGY", "WORKERS", "LOADS", "MATCHED", "PINNED", "FAILED",
                    "EXITED");
            for (AgentState.RuleStatus r : agent.rules()) {
                rules.add(r.name, r.field("cpus"), r.field("strategy"), Integer.toString(r.workers()), r.field("loads"),
                        r.field("matched"), r.field("pinned"), r.field("failed"), r.field("exited"));
            }
            sb.append(rules.render("  "));
            if (agent.cpuset() != null) {
                String[] c = agent.cpuset().split(" watch=", 2);
                sb.append("  cpuset the plan was made for: ").append(c[0]).append(c.length < 2 ? ""
                        : c[1].equals("off") ? " (not watched: cpuset-watch = off)" : " (watched every " + c[1] + ")")
                        .append('\n');
            }
            if (hostLocks != null) {
                for (String line : hostLocks.split("\n")) {
                    sb.append("  ").append(line).append('\n');
                }
            }
            if (agent.jdkInternals() != null) {
                sb.append("  JDK internals the agent relies on: ").append(agent.jdkInternals()).append('\n');
            }
            String own = ownTime(agent.hookTimes());
            if (own != null) {
                sb.append("  agent's own time (the first call of each hook includes its set-up; a pin call is the"
                        + " system call, which after a move includes waiting for the target CPU, and for the first"
                        + " pins the wait for the agent's set-up): ").append(own)
                        .append('\n');
            }
        }
        sb.append('\n');
        boolean dumped = false;
        boolean renamed = false;
        for (Row r : rows) {
            dumped |= r.kind != null;
            renamed |= r.kernelName != null;
        }
        if (namesNote != null) {
            sb.append(namesNote).append('\n');
        }
        List<String> columns = new ArrayList<>(List.of("TID", "RULE", "CPUS", "LAST"));
        if (dumped) {
            columns.add("KIND");
            columns.add("POOL");
        }
        columns.add("NAME");
        if (dumped && renamed) {
            columns.add("KERNEL NAME");
        }
        TextTable threads = new TextTable(columns.toArray(new String[0]));
        List<Row> moved = new ArrayList<>();
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.tid),
                    r.rule != null ? r.rule : agent == null ? "?" : "-", r.cpus, Integer.toString(r.lastCpu)));
            if (dumped) {
                cells.add(r.kind);
                cells.add(r.pool != null ? r.pool : "-");
            }
            cells.add(r.name);
            if (dumped && renamed) {
                cells.add(r.kernelName != null ? r.kernelName : "");
            }
            threads.add(cells.toArray(new String[0]));
            if (r.pinnedCpus != null && !r.pinnedCpus.equals(r.cpus)) {
                moved.add(r);
            }
        }
        sb.append(threads.render(""));
        if (!moved.isEmpty()) {
            sb.append('\n').append(moved.size()).append(moved.size() == 1 ? " thread no longer has" : " threads no longer have")
                    .append(" the CPUs the agent gave it (something else changed its mask):\n");
            for (Row r : moved) {
                sb.append("  ").append(TextTable.printable(r.name)).append(" (tid ").append(r.tid).append(") may use ")
                        .append(r.cpus).append(", pinned to ").append(r.pinnedCpus).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * "worker-start 31.2 ms once, then 3999 x 5.2 us own + 6.9 us pin call; worker-exit 0.4 ms
     * once, then 3999 x 1.4 us own; ...": per call after the first, the agent's own work, and
     * apart the pin call where there was one; null when no hook ran.
     */
    static String ownTime(List<AgentState.HookTime> times) {
        StringBuilder sb = new StringBuilder();
        for (AgentState.HookTime t : times) {
            sb.append(sb.length() > 0 ? "; " : "").append(t.hook).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.1f ms once", t.firstNanos / 1e6));
            if (t.laterCalls > 0) {
                sb.append(", then ").append(t.laterCalls).append(" x ")
                        .append(String.format(java.util.Locale.ROOT, "%.1f us", t.laterOwnMicrosPerCall()));
                if (t.laterPinNanos < 0) {
                    sb.append(" (own work and pin call together)");
                } else {
                    sb.append(" own");
                    if (t.laterPinNanos > 0) {
                        sb.append(String.format(java.util.Locale.ROOT, " + %.1f us pin call", t.laterPinMicrosPerCall()));
                    }
                }
            }
        }
        return sb.length() > 0 ? sb.toString() : null;
    }

    String json() {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("pid").value(pid);
        w.name("process").value(processName);
        w.name("jvm").value(jvm);
        w.name("processCpus").value(processCpus);
        w.name("names").value(namesNote);
        w.name("agent").beginObject();
        if (agent == null) {
            w.name("state").value("unknown");
            w.name("problem").value(agentProblem);
        } else {
            w.name("state").value(agent.state().name().toLowerCase(java.util.Locale.ROOT));
            if (agent.state() != AgentState.State.ABSENT) {
                w.name("version").value(agent.version());
            }
            if (agent.backend() != null) {
                w.name("backend").value(agent.backend());
            }
            if (agent.state() == AgentState.State.ACTIVE) {
                w.name("config").value(agent.config());
                w.name("cpuset").value(agent.cpuset());
                if (agent.hostLocksHeld() != null) {
                    w.name("hostLocks").beginObject();
                    w.name("directory").value(agent.hostLockDirectory());
                    w.name("held").value(agent.hostLocksHeld());
                    w.endObject();
                }
                w.name("rules").beginArray();
                for (AgentState.RuleStatus r : agent.rules()) {
                    w.beginObject();
                    w.name("name").value(r.name);
                    w.name("cpus").value(r.field("cpus"));
                    w.name("strategy").value(r.field("strategy"));
                    w.name("loads").beginArray();
                    for (int l : r.loads()) {
                        w.value(l);
                    }
                    w.endArray();
                    for (String counter : new String[] {"matched", "pinned", "failed", "exited"}) {
                        w.name(counter).value(r.counter(counter));
                    }
                    w.endObject();
                }
                w.endArray();
                w.name("hookTime").beginArray();
                for (AgentState.HookTime t : agent.hookTimes()) {
                    w.beginObject();
                    w.name("hook").value(t.hook);
                    w.name("firstCallNanos").value(t.firstNanos);
                    w.name("laterCalls").value(t.laterCalls);
                    w.name("laterNanos").value(t.laterNanos);
                    if (t.laterPinNanos >= 0) {
                        w.name("laterPinCallNanos").value(t.laterPinNanos);
                        w.name("laterOwnNanos").value(Math.max(0, t.laterNanos - t.laterPinNanos));
                    }
                    w.endObject();
                }
                w.endArray();
            }
        }
        w.endObject();
        w.name("threads").beginArray();
        for (Row r : rows) {
            w.beginObject();
            w.name("tid").value(r.tid);
            w.name("name").value(r.name);
            w.name("rule").value(r.rule);
            w.name("cpus").value(r.cpus);
            w.name("lastCpu").value(r.lastCpu);
            w.name("pinnedCpus").value(r.pinnedCpus);
            w.name("kernelName").value(r.kernelName != null ? r.kernelName : r.name);
            w.name("kind").value(r.kind);
            w.name("pool").value(r.pool);
            w.endObject();
        }
        w.endArray();
        return w.endObject().toJson() + "\n";
    }
}
