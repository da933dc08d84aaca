package io.affinityagent.log;

/** {@code quiet}: errors only; {@code info}: a line per rule at start; {@code debug}: a line per pin. */
public enum LogLevel {
    QUIET, INFO, DEBUG;

    public static LogLevel fromConfigName(String name) {
        switch (name) {
            case "quiet":
                return QUIET;
            case "info":
                return INFO;
            case "debug":
                return DEBUG;
            default:
                return null;
        }
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
