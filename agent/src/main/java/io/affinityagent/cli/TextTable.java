package io.affinityagent.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: a header row and left-aligned columns two spaces apart; the last column
 * is not padded, so a long last cell (a thread name) never widens the others. Control
 * characters in cells are shown escaped, so one row stays one line.
 */
final class TextTable {

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private boolean[] right;

    TextTable(String... headers) {
        this.headers = headers.clone();
    }

    TextTable add(String... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("a row of " + headers.length + " cells expected, got " + cells.length);
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = printable(cells[i] == null ? "" : cells[i]);
        }
        rows.add(row);
        return this;
    }

    /** Columns whose cells (numbers) are aligned on their right edge, header included. */
    TextTable alignRight(int... columns) {
        right = new boolean[headers.length];
        for (int c : columns) {
            right[c] = true;
        }
        return this;
    }

    int size() {
        return rows.size();
    }

    /** Every line ends with a line break; each starts with {@code indent}. */
    String render(String indent) {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, indent, headers, width, right);
        for (String[] row : rows) {
            line(sb, indent, row, width, right);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String indent, String[] cells, int[] width, boolean[] right) {
        StringBuilder line = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            if (right != null && right[i]) {
                for (int pad = cells[i].length(); pad < width[i]; pad++) {
                    line.append(' ');
                }
                line.append(cells[i]);
                if (i < cells.length - 1) {
                    line.append("  ");
                }
                continue;
            }
            line.append(cells[i]);
            if (i < cells.length - 1) {
                for (int pad = cells[i].length(); pad < width[i] + 2; pad++) {
                    line.append(' ');
                }
            }
        }
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        sb.append(line, 0, end).append('\n');
    }

    /** "a\nb" as {@code a\nb}: control characters escaped, so a cell never breaks a line. */
    static String printable(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != 0x7f) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            switch (c) {
                case '\n':
                    sb.append("\\n");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                default:
                    sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb == null ? s : sb.toString();
    }
}
