package io.affinityagent.bench.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The ratio B/A of two arms measured in rounds (round i ran one fork of each arm, back to back,
 * in alternating order), with 95% confidence intervals that use the pairing, so that a machine
 * that drifts between rounds widens neither:
 * <ul>
 *   <li>the ratio of the arms' medians, with a bootstrap interval: rounds drawn with replacement
 *       (each keeping its pair), 10,000 times, the 2.5th and 97.5th percentiles of the ratio;</li>
 *   <li>the geometric mean of the per-round ratios, with Student's t interval on their logarithms;</li>
 *   <li>the median of the per-round ratios, with its distribution-free interval (order statistics),
 *       which a few rounds spoilt by a slow spell that began inside them do not move.</li>
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
    /** The median of the per-round ratios and its interval (NaN where too few rounds give none). */
    final double roundMedian;
    final double roundMedianLow;
    final double roundMedianHigh;
    final int rounds;

    private PairedRatio(double medianRatio, double medianRatioLow, double medianRatioHigh, double geometricMean,
                        double geometricMeanLow, double geometricMeanHigh, double[] roundRatios) {
        this.medianRatio = medianRatio;
        this.medianRatioLow = medianRatioLow;
        this.medianRatioHigh = medianRatioHigh;
        this.geometricMean = geometricMean;
        this.geometricMeanLow = geometricMeanLow;
        this.geometricMeanHigh = geometricMeanHigh;
        this.rounds = roundRatios.length;
        double[] sorted = roundRatios.clone();
        Arrays.sort(sorted);
        int k = orderStatisticRank(rounds);
        this.roundMedian = rounds == 0 ? Double.NaN : new Samples(sorted).median();
        this.roundMedianLow = k == 0 ? Double.NaN : sorted[k - 1];
        this.roundMedianHigh = k == 0 ? Double.NaN : sorted[rounds - k];
    }

    /**
     * The median's distribution-free 95% interval of n values runs from the k-th lowest to the
     * k-th highest: the largest k whose coverage, P(k ≤ B ≤ n-k) for B ~ Binomial(n, 1/2), is at
     * least 95%. 0 when there is none (fewer than 6 values).
     */
    static int orderStatisticRank(int n) {
        if (n < 1) {
            return 0;
        }
        BinomialDistribution b = new BinomialDistribution(null, n, 0.5);
        int best = 0;
        for (int k = 1; k <= n / 2; k++) {
            double coverage = b.cumulativeProbability(n - k) - b.cumulativeProbability(k - 1);
            if (coverage >= 0.95) {
                best = k;
            }
        }
        return best;
    }

    /** {@code a.get(i)} and {@code b.get(i)} come from round i. */
    static PairedRatio of(List<Double> a, List<Double> b) {
        int n = Math.min(a.size(), b.size());
        if (n == 0) {
            return new PairedRatio(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, new double[0]);
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
        double[] roundRatios = new double[n];
        for (int i = 0; i < n; i++) {
            roundRatios[i] = y[i] / x[i];
        }
        return new PairedRatio(point, low, high, Math.exp(mean), gLow, gHigh, roundRatios);
    }

    /** Whether the ratio of medians has an interval (enough rounds). */
    boolean hasMedianInterval() {
        return !Double.isNaN(medianRatioLow);
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

    /** "0.997 (95% CI 0.982–1.004)" */
    String describeRoundMedian() {
        if (rounds > 1 && Double.isNaN(roundMedianLow)) {
            return String.format(Locale.ROOT, "%.3f (%d rounds: no interval)", roundMedian, rounds);
        }
        return interval(roundMedian, roundMedianLow, roundMedianHigh);
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
