package io.affinityagent.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One benchmark's part of RESULTS.md: what was run, a table per comparison, and the verdict of
 * each target (met, missed by how much, or why there is no figure).
 */
final class Section {

    enum Status { MET, MISSED, INFO, SKIPPED, FAILED }

    /** A target and how the measurement did against it, for the summary at the top. */
    static final class Verdict {
        final String figure;
        final String value;
        final String target;
        final Status status;

        Verdict(String figure, String value, String target, Status status) {
            this.figure = figure;
            this.value = value;
            this.target = target;
            this.status = status;
        }
    }

    final String number;
    final String title;
    private final List<String> lines = new ArrayList<>();
    final List<Verdict> verdicts = new ArrayList<>();
    private long startedNanos = System.nanoTime();
    private long elapsedNanos = -1;

    Section(String number, String title) {
        this.number = number;
        this.title = title;
    }

    Section text(String line) {
        lines.add(line);
        return this;
    }

    Section blank() {
        lines.add("");
        return this;
    }

    Section table(List<String> header, List<List<String>> rows) {
        lines.add("| " + String.join(" | ", header) + " |");
        StringBuilder sep = new StringBuilder("|");
        for (int i = 0; i < header.size(); i++) {
            sep.append(i == 0 ? "---|" : "---:|");
        }
        lines.add(sep.toString());
        for (List<String> row : rows) {
            lines.add("| " + String.join(" | ", row) + " |");
        }
        lines.add("");
        return this;
    }

    /** A target with "at most" or "at least" semantics; missed targets say by how much. */
    Section target(String figure, double value, String unitFormat, boolean atMost, double limit) {
        String t = (atMost ? "≤ " : "≥ ") + String.format(Locale.ROOT, unitFormat, limit);
        if (Double.isNaN(value)) {
            verdicts.add(new Verdict(figure, "no figure", t, Status.FAILED));
            lines.add("**" + figure + ": no figure** (target " + t + ")");
            lines.add("");
            return this;
        }
        boolean met = atMost ? value <= limit : value >= limit;
        String v = String.format(Locale.ROOT, unitFormat, value);
        verdicts.add(new Verdict(figure, v, t, met ? Status.MET : Status.MISSED));
        String by = met ? "" : String.format(Locale.ROOT, " — missed by " + unitFormat, Math.abs(value - limit));
        lines.add("**" + figure + ": " + v + "** (target " + t + ": " + (met ? "met" : "MISSED") + by + ")");
        lines.add("");
        return this;
    }

    Section info(String figure, String value) {
        verdicts.add(new Verdict(figure, value, "—", Status.INFO));
        lines.add("**" + figure + ": " + value + "**");
        lines.add("");
        return this;
    }

    Section skipped(String why) {
        verdicts.add(new Verdict(title, "—", "—", Status.SKIPPED));
        lines.add("**Skipped:** " + why);
        lines.add("");
        return this;
    }

    Section failed(String why) {
        verdicts.add(new Verdict(title, "—", "—", Status.FAILED));
        lines.add("**Failed:** " + why);
        lines.add("");
        return this;
    }

    void finish() {
        elapsedNanos = System.nanoTime() - startedNanos;
    }

    List<String> render() {
        List<String> out = new ArrayList<>();
        out.add("### " + number + ". " + title);
        out.add("");
        out.addAll(lines);
        if (elapsedNanos >= 0) {
            out.add(String.format(Locale.ROOT, "_(this benchmark took %.0f s)_", elapsedNanos / 1e9));
            out.add("");
        }
        return out;
    }
}
