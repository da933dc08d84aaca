package io.affinityagent.bench.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The ratio B/A of two arms measured in rounds (round i ran one fork of each arm, back to back,
 * in alternating order), with 95% confidence intervals that use the pairing, so that a machine
 * that drifts between rounds widens neither:
 * <ul>
 *   <li>the ratio of the arms' medians, with a bootstrap interval: rounds drawn with replacement
 *       (each keeping its pair), 10,000 times, the 2.5th and 97.5th percentiles of the ratio;</li>
 *   <li>the geometric mean of the per-round ratios, with Student's t interval on their logarithms.</li>
 * </ul>
 * An interval that holds 1 means the measurement does not resolve a difference.
 */
final class PairedRatio {

    static final int RESAMPLES = 10_000;
    /** Fewer rounds than this give no bootstrap interval: resampling 2-4 pairs says nothing. */
    static final int MIN_BOOTSTRAP_ROUNDS = 5;
    /** Fixed, so that the same figures always give the same interval. */
    private static final long SEED = 0x5EED_0F_A11L;

    final double medianRatio;
    final double medianRatioLow;
    final double medianRatioHigh;
    final double geometricMean;
    final double geometricMeanLow;
    final double geometricMeanHigh;
    final int rounds;

    private PairedRatio(double medianRatio, double medianRatioLow, double medianRatioHigh, double geometricMean,
                        double geometricMeanLow, double geometricMeanHigh, int rounds) {
        this.medianRatio = medianRatio;
        this.medianRatioLow = medianRatioLow;
        this.medianRatioHigh = medianRatioHigh;
        this.geometricMean = geometricMean;
        this.geometricMeanLow = geometricMeanLow;
        this.geometricMeanHigh = geometricMeanHigh;
        this.rounds = rounds;
    }

    /** {@code a.get(i)} and {@code b.get(i)} come from round i. */
    static PairedRatio of(List<Double> a, List<Double> b) {
        int n = Math.min(a.size(), b.size());
        if (n == 0) {
            return new PairedRatio(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] x = new double[n];
        double[] y = new double[n];
        double[] logRatio = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a.get(i);
            y[i] = b.get(i);
            logRatio[i] = Math.log(y[i] / x[i]);
        }
        double point = new Samples(y).median() / new Samples(x).median();
        double low = Double.NaN;
        double high = Double.NaN;
        if (n >= MIN_BOOTSTRAP_ROUNDS) {
            SplittableRandom random = new SplittableRandom(SEED);
            double[] ratios = new double[RESAMPLES];
            double[] rx = new double[n];
            double[] ry = new double[n];
            for (int r = 0; r < RESAMPLES; r++) {
                for (int i = 0; i < n; i++) {
                    int k = random.nextInt(n);
                    rx[i] = x[k];
                    ry[i] = y[k];
                }
                ratios[r] = new Samples(ry).median() / new Samples(rx).median();
            }
            Samples dist = new Samples(ratios);
            low = dist.quantile(0.025);
            high = dist.quantile(0.975);
        }
        double mean = 0;
        for (double l : logRatio) {
            mean += l;
        }
        mean /= n;
        double gLow = Double.NaN;
        double gHigh = Double.NaN;
        if (n >= 2) {
            double var = 0;
            for (double l : logRatio) {
                var += (l - mean) * (l - mean);
            }
            var /= n - 1;
            double half = new TDistribution(n - 1).inverseCumulativeProbability(0.975) * Math.sqrt(var / n);
            gLow = Math.exp(mean - half);
            gHigh = Math.exp(mean + half);
        }
        return new PairedRatio(point, low, high, Math.exp(mean), gLow, gHigh, n);
    }

    /** Whether the ratio of medians has an interval (enough rounds). */
    boolean hasMedianInterval() {
        return !Double.isNaN(medianRatioLow);
    }

    /** Whether the interval of the ratio of medians holds {@code value}. */
    boolean medianIntervalHolds(double value) {
        return !(medianRatioLow > value || medianRatioHigh < value);
    }

    /** "0.910 (95% CI 0.850–0.990)" */
    String describeMedianRatio() {
        if (rounds > 1 && rounds < MIN_BOOTSTRAP_ROUNDS) {
            return String.format(Locale.ROOT, "%.3f (%d rounds: no interval)", medianRatio, rounds);
        }
        return interval(medianRatio, medianRatioLow, medianRatioHigh);
    }

    /** "0.905 (95% CI 0.850–0.960)" */
    String describeGeometricMean() {
        return interval(geometricMean, geometricMeanLow, geometricMeanHigh);
    }

    private static String interval(double point, double low, double high) {
        String p = String.format(Locale.ROOT, "%.3f", point);
        if (Double.isNaN(low)) {
            return p + " (one round: no interval)";
        }
        return p + String.format(Locale.ROOT, " (95%% CI %.3f–%.3f)", low, high);
    }

    /** The per-round ratios, for the record. */
    static List<Double> perRound(List<Double> a, List<Double> b) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            out.add(b.get(i) / a.get(i));
        }
        return out;
    }
}
