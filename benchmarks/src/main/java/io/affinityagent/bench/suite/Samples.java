package io.affinityagent.bench.suite;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Measurements of one arm: the median and the spread (quartiles, extremes). */
final class Samples {

    private final double[] sorted;

    Samples(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    static Samples of(List<Double> values) {
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return new Samples(v);
    }

    /** The same samples multiplied by {@code factor} (a change of unit). */
    Samples scaled(double factor) {
        double[] v = new double[sorted.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = sorted[i] * factor;
        }
        return new Samples(v);
    }

    int n() {
        return sorted.length;
    }

    boolean isEmpty() {
        return sorted.length == 0;
    }

    double median() {
        return quantile(0.5);
    }

    /** Linear interpolation between order statistics (R's type 7, numpy's default); NaN when empty. */
    double quantile(double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /**
     * "median (IQR a–b, range c–d, n=N)" in the given format; with fewer than 5 runs the IQR says
     * nothing the range does not, and with one run there is no spread at all.
     */
    String describe(String format) {
        if (isEmpty()) {
            return "no data";
        }
        String median = String.format(Locale.ROOT, format, median());
        if (n() == 1) {
            return median + " (n=1)";
        }
        String range = "range " + String.format(Locale.ROOT, format, min()) + "–" + String.format(Locale.ROOT, format, max());
        if (n() < 5) {
            return median + " (" + range + ", n=" + n() + ")";
        }
        return median + " (IQR " + String.format(Locale.ROOT, format, quantile(0.25)) + "–"
                + String.format(Locale.ROOT, format, quantile(0.75)) + ", " + range + ", n=" + n() + ")";
    }
}
