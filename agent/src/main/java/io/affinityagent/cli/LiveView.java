package io.affinityagent.cli;

import io.affinityagent.cpu.CpuSet;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How {@code status --watch} shows a frame of {@link LiveRates}: a table, one line per pool (and
 * per thread with {@code --threads}), or one JSON object per line for scripts.
 */
final class LiveView {

    /** The column meanings, shown once (plain output) or under every frame (a terminal). */
    static String legend(LiveRates.Sources sources) {
        return "CPU%: CPU time used (100 = one CPU), from " + (sources.cpuFromSchedstat ? "schedstat" : "stat's utime+stime"
                + " (10 ms ticks)") + "; WAIT%: time runnable but waiting for a CPU, from schedstat"
                + (sources.waitKnown ? "" : " (not provided by this kernel: -)") + ";\n"
                + "INVOL/S: involuntary context switches a second (nonvoluntary_ctxt_switches of status); MIGR/S: moves to"
                + " another CPU a second, " + (sources.migrationsCounted ? "from se.nr_migrations of sched"
                : "from changes of the last CPU (this kernel has no sched file: a lower bound)")
                + ";\nPROMISED: the CPUs the agent gave; ALLOWED: Cpus_allowed_list; LAST: the CPUs last run on (field 39"
                + " of stat).\n";
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private LiveView() {
    }

    /**
     * @param header    "JVM 4242 (java), may use CPUs 0-1; agent: active, config FILE"
     * @param threads   a line for each thread under its pool
     * @param all       idle pools on lines of their own, not summed up in one
     */
    static String text(String header, LocalTime time, LiveRates.Frame frame, boolean threads, boolean all) {
        StringBuilder sb = new StringBuilder();
        sb.append(header).append("; ").append(TIME.format(time))
                .append(String.format(Locale.ROOT, ", over %.1f s", frame.seconds)).append('\n');
        TextTable table = new TextTable("POOL", "THREADS", "RULE", "PROMISED", "ALLOWED", "LAST", "CPU%", "WAIT%",
                "INVOL/S", "MIGR/S").alignRight(1, 6, 7, 8, 9);
        int idleThreads = 0;
        int idlePools = 0;
        for (LiveRates.PoolRate p : frame.pools) {
            if (!all && p.idle()) {
                idleThreads += p.threads.size();
                idlePools++;
                continue;
            }
            table.add(p.pool, Integer.toString(p.threads.size()), p.rules.isEmpty() ? "-" : String.join(",", p.rules),
                    cpus(p.promised), p.allowed.toString(), p.ranOn.toString(), number(p.cpuPercent),
                    number(p.waitPercent), number(p.involuntaryPerSecond), number(p.migrationsPerSecond));
            if (threads) {
                for (LiveRates.ThreadRate t : p.threads) {
                    table.add("  " + t.name + " (" + t.tid + ")", "", t.rule == null ? "-" : t.rule, cpus(t.promised),
                            t.allowed.toString(), Integer.toString(t.lastCpu), number(t.cpuPercent),
                            number(t.waitPercent), number(t.involuntaryPerSecond), number(t.migrationsPerSecond));
                }
            }
        }
        sb.append(table.render(""));
        if (idlePools > 0) {
            sb.append("(idle, no rule: ").append(idleThreads).append(idleThreads == 1 ? " thread" : " threads")
                    .append(" in ").append(idlePools).append(idlePools == 1 ? " pool" : " pools")
                    .append("; --all shows them)\n");
        }
        return sb.toString();
    }

    /** One line of JSON: the frame, every pool with its figures, and with {@code threads} its threads. */
    static String json(long pid, String agentState, LocalTime time, LiveRates.Frame frame, boolean threads) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("pid").value(pid);
        w.name("time").value(time.toString());
        w.name("seconds").value(frame.seconds, 3);
        w.name("agent").value(agentState);
        w.name("sources").beginObject();
        w.name("cpu").value(frame.sources.cpuFromSchedstat ? "schedstat" : "stat");
        w.name("wait").value(frame.sources.waitKnown ? "schedstat" : null);
        w.name("migrations").value(frame.sources.migrationsCounted ? "sched" : "last-cpu");
        w.endObject();
        w.name("pools").beginArray();
        for (LiveRates.PoolRate p : frame.pools) {
            w.beginObject();
            w.name("pool").value(p.pool);
            w.name("threads").value(p.threads.size());
            w.name("rules").beginArray();
            for (String r : p.rules) {
                w.value(r);
            }
            w.endArray();
            w.name("promised").value(p.promised == null ? null : p.promised.toString());
            w.name("allowed").value(p.allowed.toString());
            w.name("lastCpus").value(p.ranOn.toString());
            figures(w, p.cpuPercent, p.waitPercent, p.involuntaryPerSecond, p.voluntaryPerSecond, p.migrationsPerSecond);
            if (threads) {
                w.name("workers").beginArray();
                for (LiveRates.ThreadRate t : p.threads) {
                    w.beginObject();
                    w.name("tid").value(t.tid);
                    w.name("name").value(t.name);
                    w.name("rule").value(t.rule);
                    w.name("promised").value(t.promised == null ? null : t.promised.toString());
                    w.name("allowed").value(t.allowed.toString());
                    w.name("lastCpu").value(t.lastCpu);
                    figures(w, t.cpuPercent, t.waitPercent, t.involuntaryPerSecond, t.voluntaryPerSecond,
                            t.migrationsPerSecond);
                    w.endObject();
                }
                w.endArray();
            }
            w.endObject();
        }
        w.endArray();
        return w.endObject().toJson() + "\n";
    }

    private static void figures(JsonWriter w, double cpu, double wait, double involuntary, double voluntary,
                                double migrations) {
        w.name("cpuPercent").value(cpu, 1);
        w.name("waitPercent").value(wait, 1);
        w.name("involuntarySwitchesPerSecond").value(involuntary, 1);
        w.name("voluntarySwitchesPerSecond").value(voluntary, 1);
        w.name("migrationsPerSecond").value(migrations, 1);
    }

    private static String cpus(CpuSet promised) {
        return promised == null ? "-" : promised.toString();
    }

    private static String number(double d) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.1f", d);
    }
}
