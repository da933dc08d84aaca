package io.affinityagent.log;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The one place the agent writes to the user: stderr, every line prefixed
 * {@code [affinity-agent]}. Errors and warnings always print; {@code info} adds the start-up
 * summary; {@code debug} adds a line per pin. Nothing ever goes to stdout.
 */
public final class AgentLog {

    public static final String PREFIX = "[affinity-agent] ";

    private final Supplier<PrintStream> out;
    private final Set<String> warnedOnce = ConcurrentHashMap.newKeySet();
    private volatile LogLevel level;

    public AgentLog(LogLevel level, Supplier<PrintStream> out) {
        this.level = level;
        this.out = out;
    }

    /** Writes to whatever System.err is at the time of each line. */
    public static AgentLog toStderr(LogLevel level) {
        return new AgentLog(level, new Supplier<PrintStream>() {
            @Override
            public PrintStream get() {
                return System.err;
            }
        });
    }

    public LogLevel level() {
        return level;
    }

    public void setLevel(LogLevel level) {
        this.level = level;
    }

    public boolean isDebug() {
        return level == LogLevel.DEBUG;
    }

    public boolean isInfo() {
        return level != LogLevel.QUIET;
    }

    public void error(String message) {
        print("error: " + message);
    }

    public void warn(String message) {
        print("warning: " + message);
    }

    /** A warning printed the first time its key is seen (e.g. one per rule and reason). */
    public void warnOnce(String key, String message) {
        if (warnedOnce.add(key)) {
            warn(message);
        }
    }

    public void info(String message) {
        if (isInfo()) {
            print(message);
        }
    }

    public void debug(String message) {
        if (isDebug()) {
            print(message);
        }
    }

    /**
     * Errors, warnings and info lines (info only at info level and above) in one write, so that
     * a JVM exiting meanwhile cuts none of them in half.
     */
    public void lines(List<String> errors, List<String> warnings, List<String> info) {
        StringBuilder sb = new StringBuilder();
        for (String e : errors) {
            sb.append(PREFIX).append("error: ").append(e).append(System.lineSeparator());
        }
        for (String w : warnings) {
            sb.append(PREFIX).append("warning: ").append(w).append(System.lineSeparator());
        }
        for (String i : isInfo() ? info : List.<String>of()) {
            sb.append(PREFIX).append(i).append(System.lineSeparator());
        }
        PrintStream stream = out.get();
        stream.print(sb);
        stream.flush();
    }

    private void print(String line) {
        PrintStream stream = out.get();
        // One println per line so lines from racing worker threads do not interleave.
        stream.println(PREFIX + line);
        stream.flush();
    }
}
