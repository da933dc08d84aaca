package io.affinityagent.config;

/**
 * {@code cpuset-watch}: how often the agent looks whether the process's allowed CPUs changed
 * (a container's cpuset rewritten), or {@code off}. A duration with its unit: {@code 1s},
 * {@code 250ms}; default {@link #DEFAULT_MILLIS} ms.
 */
public final class CpusetWatchInterval {

    public static final long DEFAULT_MILLIS = 1000;
    /** Below this a watch costs more than it can be worth; above it a change goes unseen too long. */
    public static final long MIN_MILLIS = 10;
    public static final long MAX_MILLIS = 3_600_000;

    private CpusetWatchInterval() {
    }

    /**
     * The interval in milliseconds, 0 for {@code off}.
     *
     * @throws IllegalArgumentException with the message for the user when the text is not valid
     */
    public static long parseMillis(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equals("off")) {
            return 0;
        }
        long unit;
        String digits;
        if (s.endsWith("ms")) {
            unit = 1;
            digits = s.substring(0, s.length() - 2).trim();
        } else if (s.endsWith("s")) {
            unit = 1000;
            digits = s.substring(0, s.length() - 1).trim();
        } else {
            throw new IllegalArgumentException("'" + s + "' is not valid; expected a duration with its unit"
                    + " (1s, 250ms) or off");
        }
        if (digits.isEmpty() || digits.length() > 9 || !isDigits(digits)) {
            throw new IllegalArgumentException("'" + s + "' is not valid; expected a whole number of ms or s"
                    + " (1s, 250ms) or off");
        }
        long millis = Long.parseLong(digits) * unit;
        if (millis < MIN_MILLIS || millis > MAX_MILLIS) {
            throw new IllegalArgumentException("'" + s + "' is out of range; expected " + MIN_MILLIS + "ms to "
                    + (MAX_MILLIS / 1000) + "s, or off");
        }
        return millis;
    }

    /** {@code 1s}, {@code 250ms}, {@code off}: as a user would write it. */
    public static String text(long millis) {
        if (millis == 0) {
            return "off";
        }
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
