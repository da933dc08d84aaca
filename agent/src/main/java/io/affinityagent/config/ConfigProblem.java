package io.affinityagent.config;

import java.nio.file.Path;

/**
 * One error or warning about a config file, located as precisely as we can: the file, the
 * line (0 when the problem is the file itself) and the key (null when no key is involved).
 * Printed as {@code FILE:LINE: KEY: MESSAGE}, like a compiler.
 */
public final class ConfigProblem {

    public enum Severity { ERROR, WARNING }

    private final Severity severity;
    private final Path file;
    private final int line;
    private final String key;
    private final String message;
    /** Two rules sharing CPUs: told one by one by check, summed up in one line at JVM start. */
    private final String overlappingRules;
    /** An error only because this machine (or process) lacks the CPUs, sockets or nodes named. */
    private final boolean aboutThisMachine;

    public ConfigProblem(Severity severity, Path file, int line, String key, String message) {
        this(severity, file, line, key, message, null, false);
    }

    private ConfigProblem(Severity severity, Path file, int line, String key, String message, String overlappingRules,
                          boolean aboutThisMachine) {
        this.overlappingRules = overlappingRules;
        this.aboutThisMachine = aboutThisMachine;
        this.severity = severity;
        this.file = file;
        this.line = line;
        this.key = key;
        this.message = message;
    }

    public static ConfigProblem error(Path file, int line, String key, String message) {
        return new ConfigProblem(Severity.ERROR, file, line, key, message);
    }

    public static ConfigProblem warning(Path file, int line, String key, String message) {
        return new ConfigProblem(Severity.WARNING, file, line, key, message);
    }

    /** The warning that two rules share CPUs, {@code rules} as "a/b". */
    static ConfigProblem overlap(Path file, int line, String key, String rules, String message) {
        return new ConfigProblem(Severity.WARNING, file, line, key, message, rules, false);
    }

    /** An error that another machine's CPUs would not have: check says how to plan for that one. */
    static ConfigProblem machineError(Path file, int line, String key, String message) {
        return new ConfigProblem(Severity.ERROR, file, line, key, message, null, true);
    }

    /** True for an error that names CPUs, sockets or nodes this machine or process does not have. */
    public boolean aboutThisMachine() {
        return aboutThisMachine;
    }

    /** "orders/batch" for a warning that these two rules share CPUs; null for any other problem. */
    public String overlappingRules() {
        return overlappingRules;
    }

    public Severity severity() {
        return severity;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String key() {
        return key;
    }

    public String message() {
        return message;
    }

    /**
     * {@code /etc/affinity.properties:7: rule.orders.cpus: '2-x' ...}. A hostile file can make a
     * key or a quoted value a megabyte long; the printed line keeps their start and end only.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<agent arguments>" : file.toString());
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (key != null) {
            sb.append(elide(key, 100)).append(": ");
        }
        return sb.append(elide(message, 400)).toString();
    }

    /** The text itself when short; else its start and end around "[... N characters ...]". */
    static String elide(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int head = max / 2;
        int tail = max / 3;
        return text.substring(0, head) + " [... " + (text.length() - head - tail) + " characters ...] "
                + text.substring(text.length() - tail);
    }
}
