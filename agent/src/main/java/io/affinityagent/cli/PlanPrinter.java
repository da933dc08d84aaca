package io.affinityagent.cli;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.config.Rule;
import io.affinityagent.placement.PlanPreview;
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
        /** The rule's cell; the preview gives what the rule's placement says (one explanation for table and lines). */
        final BiFunction<PlanPreview, Rule, String> cell;

        Column(String header, BiFunction<PlanPreview, Rule, String> cell) {
            this.header = header;
            this.cell = cell;
        }
    }

    static final List<Column> COLUMNS = List.of(
            new Column("RULE", (p, r) -> r.name()),
            new Column("MATCHES", (p, r) -> r.selectorText()),
            new Column("CPUS ASKED", (p, r) -> r.cpuList().text()),
            new Column("CPUS HERE", (p, r) -> r.cpus().toString()),
            new Column("STRATEGY", (p, r) -> r.strategy().configName()),
            new Column("EACH WORKER GETS", PlanPreview::eachWorkerGets));

    private PlanPrinter() {
    }

    /** The plan as a table, then how rules are applied. */
    static String print(AgentConfig config) {
        String[] headers = new String[COLUMNS.size()];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = COLUMNS.get(i).header;
        }
        TextTable table = new TextTable(headers);
        PlanPreview preview = new PlanPreview(config);
        for (Rule r : config.rules()) {
            String[] row = new String[headers.length];
            for (int i = 0; i < row.length; i++) {
                row[i] = COLUMNS.get(i).cell.apply(preview, r);
            }
            table.add(row);
        }
        return table.render("  ") + "  A worker gets the first rule that matches it, in this order; workers no rule"
                + " matches are left alone.\n";
    }
}
