package io.affinityagent.cli;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.Rule;
import io.affinityagent.config.Strategy;
import java.util.List;
import java.util.function.Function;

/**
 * The plan {@code check} prints: one row per rule, in match order, with what the rule asked
 * for and what it gets on these CPUs. The columns are a list, so showing more (a topology, a
 * new strategy's layout) is one more entry here.
 */
final class PlanPrinter {

    /** A column of the plan: its header and how a rule fills it. */
    static final class Column {
        final String header;
        final Function<Rule, String> cell;

        Column(String header, Function<Rule, String> cell) {
            this.header = header;
            this.cell = cell;
        }
    }

    static final List<Column> COLUMNS = List.of(
            new Column("RULE", Rule::name),
            new Column("MATCHES", Rule::selectorText),
            new Column("CPUS ASKED", r -> r.cpuList().text()),
            new Column("CPUS HERE", r -> r.cpus().toString()),
            new Column("STRATEGY", r -> r.strategy().configName()),
            new Column("EACH WORKER GETS", PlanPrinter::eachWorkerGets));

    private PlanPrinter() {
    }

    /** The plan as a table, then how rules are applied. */
    static String print(AgentConfig config) {
        String[] headers = new String[COLUMNS.size()];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = COLUMNS.get(i).header;
        }
        TextTable table = new TextTable(headers);
        for (Rule r : config.rules()) {
            String[] row = new String[headers.length];
            for (int i = 0; i < row.length; i++) {
                row[i] = COLUMNS.get(i).cell.apply(r);
            }
            table.add(row);
        }
        return table.render("  ") + "  A worker gets the first rule that matches it, in this order; workers no rule"
                + " matches are left alone.\n";
    }

    /** What the strategy means for one worker, on the rule's CPUs here. */
    static String eachWorkerGets(Rule r) {
        if (r.strategy() == Strategy.SHARED) {
            return r.cpus().size() == 1 ? "CPU " + r.cpus() : "all of CPUs " + r.cpus();
        }
        if (r.cpus().size() == 1) {
            return "CPU " + r.cpus();
        }
        return "one CPU of " + r.cpus() + ", the least loaded";
    }
}
