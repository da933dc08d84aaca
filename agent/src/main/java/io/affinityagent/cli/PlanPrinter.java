package io.affinityagent.cli;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.CpusetWatchInterval;
import io.affinityagent.config.Rule;
import io.affinityagent.placement.PlanExplanation;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The plan {@code check} prints: one row per rule, in match order, with what the rule asked
 * for and what it gets on these CPUs. The columns are a list, so showing more (a topology, a
 * new strategy's layout) is one more entry here.
 */
final class PlanPrinter {

    /** A column of the plan: its header and how a rule fills it. */
    static final class Column {
        final String header;
        final BiFunction<PlanExplanation, Rule, String> cell;

        Column(String header, BiFunction<PlanExplanation, Rule, String> cell) {
            this.header = header;
            this.cell = cell;
        }
    }

    static final List<Column> COLUMNS = List.of(
            new Column("RULE", (plan, r) -> r.name()),
            new Column("MATCHES", (plan, r) -> r.selectorText()),
            new Column("CPUS ASKED", (plan, r) -> r.cpuList().text()),
            new Column("CPUS HERE", (plan, r) -> r.cpus().toString()),
            new Column("STRATEGY", (plan, r) -> r.strategy().configName()),
            new Column("EACH WORKER GETS", PlanExplanation::eachWorkerGets));

    private PlanPrinter() {
    }

    /** The plan as a table, then how rules are applied. */
    static String print(AgentConfig config) {
        return print(new PlanExplanation(config));
    }

    /** The plan as a table in the words of {@code plan} (the explanation the worker lines come from too). */
    static String print(PlanExplanation plan) {
        AgentConfig config = plan.config();
        String[] headers = new String[COLUMNS.size()];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = COLUMNS.get(i).header;
        }
        TextTable table = new TextTable(headers);
        for (Rule r : config.rules()) {
            String[] row = new String[headers.length];
            for (int i = 0; i < row.length; i++) {
                row[i] = COLUMNS.get(i).cell.apply(plan, r);
            }
            table.add(row);
        }
        return table.render("  ") + "  A worker gets the first rule that matches it, in this order; workers no rule"
                + " matches are left alone.\n" + exclusiveRules(config) + cpusetWatch(config);
    }

    /** Which rules lock their CPUs host-wide, where, and what they do when all are held; empty when none. */
    static String exclusiveRules(AgentConfig config) {
        StringBuilder names = new StringBuilder();
        for (Rule r : config.rules()) {
            if (r.exclusive()) {
                names.append(names.length() > 0 ? ", " : "").append(r.name()).append(" (when held: ")
                        .append(r.whenHeld().configName()).append(')');
            }
        }
        if (names.length() == 0) {
            return "";
        }
        String where = config.lockDirectory() != null ? config.lockDirectory().toString()
                : "the JVM's java.io.tmpdir (OpenHFT's default)";
        return "  Locked host-wide, against other JVMs and OpenHFT's AffinityLock: the CPUs of " + names
                + "; lock files in " + where + ".\n";
    }

    static String cpusetWatch(AgentConfig config) {
        long millis = config.cpusetWatchMillis();
        return millis == 0 ? "  cpuset-watch = off: a change of the process's CPUs is not followed.\n"
                : "  The plan is made again when the process's CPUs change (looked at every "
                + CpusetWatchInterval.text(millis) + ").\n";
    }
}
