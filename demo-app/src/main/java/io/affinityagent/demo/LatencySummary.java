package io.affinityagent.demo;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * What one run of the workload measured: the order pool's latency percentiles (from the moment
 * each request was due to its completion), its service time, and how much work the batch pool
 * got done. Saved as a properties file so that a second run (and the benefit benchmark) can
 * read the first one's figures.
 */
public final class LatencySummary {

    private final String label;
    private final long requests;
    private final double p50Micros;
    private final double p99Micros;
    private final double p999Micros;
    private final double maxMicros;
    private final double serviceP50Micros;
    private final double batchUnitsPerSecond;
    private final double loadAverage;

    LatencySummary(String label, long requests, double p50Micros, double p99Micros, double p999Micros,
                   double maxMicros, double serviceP50Micros, double batchUnitsPerSecond, double loadAverage) {
        this.label = label;
        this.requests = requests;
        this.p50Micros = p50Micros;
        this.p99Micros = p99Micros;
        this.p999Micros = p999Micros;
        this.maxMicros = maxMicros;
        this.serviceP50Micros = serviceP50Micros;
        this.batchUnitsPerSecond = batchUnitsPerSecond;
        this.loadAverage = loadAverage;
    }

    /** Percentiles of {@code count} latencies and service times in nanoseconds (both arrays are sorted in place). */
    static LatencySummary of(String label, long[] latencyNanos, long[] serviceNanos, int count, double batchUnitsPerSecond,
                             double loadAverage) {
        Arrays.sort(latencyNanos, 0, count);
        Arrays.sort(serviceNanos, 0, count);
        return new LatencySummary(label, count, micros(percentile(latencyNanos, count, 0.50)),
                micros(percentile(latencyNanos, count, 0.99)), micros(percentile(latencyNanos, count, 0.999)),
                micros(count == 0 ? 0 : latencyNanos[count - 1]), micros(percentile(serviceNanos, count, 0.50)),
                batchUnitsPerSecond, loadAverage);
    }

    /** The nearest-rank percentile of the first {@code count} values of a sorted array; 0 when empty. */
    static long percentile(long[] sorted, int count, double q) {
        if (count == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * count);
        return sorted[Math.max(0, Math.min(count, rank) - 1)];
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    public String label() {
        return label;
    }

    public long requests() {
        return requests;
    }

    public double p50Micros() {
        return p50Micros;
    }

    public double p99Micros() {
        return p99Micros;
    }

    public double p999Micros() {
        return p999Micros;
    }

    public double maxMicros() {
        return maxMicros;
    }

    public double serviceP50Micros() {
        return serviceP50Micros;
    }

    public double batchUnitsPerSecond() {
        return batchUnitsPerSecond;
    }

    /** The machine's 1-minute load average at the end of the run (NaN when unknown). */
    public double loadAverage() {
        return loadAverage;
    }

    public void save(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("label", label);
        p.setProperty("requests", Long.toString(requests));
        p.setProperty("p50_us", format(p50Micros));
        p.setProperty("p99_us", format(p99Micros));
        p.setProperty("p999_us", format(p999Micros));
        p.setProperty("max_us", format(maxMicros));
        p.setProperty("service_p50_us", format(serviceP50Micros));
        p.setProperty("batch_units_per_s", format(batchUnitsPerSecond));
        p.setProperty("load_avg_1m", format(loadAverage));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "affinity-agent demo: order latency from due time to completion");
        }
    }

    public static LatencySummary load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            return new LatencySummary(p.getProperty("label", file.getFileName().toString()),
                    Long.parseLong(required(p, "requests", file)), number(p, "p50_us", file), number(p, "p99_us", file),
                    number(p, "p999_us", file), number(p, "max_us", file), number(p, "service_p50_us", file),
                    number(p, "batch_units_per_s", file), Double.parseDouble(p.getProperty("load_avg_1m", "NaN")));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a saved demo run: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key, Path file) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException(file + ": not a saved demo run (no " + key + ")");
        }
        return v;
    }

    private static double number(Properties p, String key, Path file) throws IOException {
        return Double.parseDouble(required(p, key, file));
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
