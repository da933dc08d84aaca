package io.affinityagent.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedRatioTest {

    @Test
    void aConstantRatioAcrossDriftingRoundsHasANarrowInterval() {
        // The machine drifts from round to round by ±20%, the second arm is always 10% slower.
        List<Double> a = List.of(10.0, 12.0, 8.0, 11.0, 9.0, 10.5);
        List<Double> b = List.of(9.0, 10.8, 7.2, 9.9, 8.1, 9.45);
        PairedRatio r = PairedRatio.of(a, b);
        assertThat(r.geometricMean).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.geometricMeanLow).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.geometricMeanHigh).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.medianRatio).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.medianRatioHigh).isLessThan(1.0); // the interval does not hold 1
    }

    @Test
    void ratiosThatScatterAroundOneGiveAnIntervalHoldingOne() {
        List<Double> a = List.of(10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0);
        List<Double> b = List.of(9.0, 11.0, 9.5, 10.5, 9.2, 10.8, 10.1, 9.9);
        PairedRatio r = PairedRatio.of(a, b);
        assertThat(r.medianRatioLow).isLessThanOrEqualTo(1.0); // the interval holds 1
        assertThat(r.medianRatioHigh).isGreaterThanOrEqualTo(1.0);
        assertThat(r.geometricMeanLow).isLessThan(1.0);
        assertThat(r.geometricMeanHigh).isGreaterThan(1.0);
        assertThat(r.describeMedianRatio()).matches("1\\.000 \\(95% CI 0\\.9\\d\\d–1\\.0\\d\\d\\)");
    }

    @Test
    void fewRoundsGiveNoBootstrapInterval() {
        PairedRatio r = PairedRatio.of(List.of(10.0, 11.0), List.of(8.0, 9.5));
        assertThat(r.hasMedianInterval()).isFalse();
        assertThat(r.describeMedianRatio()).isEqualTo("0.833 (2 rounds: no interval)");
    }

    @Test
    void oneRoundHasNoInterval() {
        PairedRatio r = PairedRatio.of(List.of(2.0), List.of(1.0));
        assertThat(r.medianRatio).isEqualTo(0.5);
        assertThat(r.describeGeometricMean()).isEqualTo("0.500 (one round: no interval)");
    }

    @Test
    void theMedianOfRoundsIgnoresTheFewRoundsASlowSpellSpoilt() {
        // 16 rounds: 12 agree within 1%, 4 were split by a slow spell (0.7 or 1.4), as on a shared machine.
        List<Double> a = new java.util.ArrayList<>();
        List<Double> b = new java.util.ArrayList<>();
        double[] ratios = {1.0, 0.99, 1.01, 1.0, 0.7, 1.005, 0.995, 1.4, 1.0, 0.99, 1.01, 0.7, 1.0, 1.4, 1.0, 0.995};
        for (int i = 0; i < ratios.length; i++) {
            double base = i < 8 ? 36.0 : 26.0; // the machine's two speeds, both arms alike
            a.add(base);
            b.add(base * ratios[i]);
        }
        PairedRatio r = PairedRatio.of(a, b);
        assertThat(r.roundMedian).isEqualTo(1.0);
        // n = 16: the 4th lowest to the 4th highest
        assertThat(r.roundMedianLow).isEqualTo(0.99);
        assertThat(r.roundMedianHigh).isEqualTo(1.01);
        assertThat(r.describeRoundMedian()).isEqualTo("1.000 (95% CI 0.990–1.010)");
    }

    @Test
    void theOrderStatisticRankCoversAtLeastNinetyFivePercent() {
        assertThat(PairedRatio.orderStatisticRank(5)).isZero(); // 1 - 2/32 < 0.95: no interval
        assertThat(PairedRatio.orderStatisticRank(6)).isEqualTo(1);
        assertThat(PairedRatio.orderStatisticRank(10)).isEqualTo(2);
        assertThat(PairedRatio.orderStatisticRank(16)).isEqualTo(4);
        assertThat(PairedRatio.orderStatisticRank(42)).isEqualTo(15);
        PairedRatio few = PairedRatio.of(List.of(10.0, 11.0, 9.0), List.of(10.0, 11.0, 9.0));
        assertThat(few.describeRoundMedian()).isEqualTo("1.000 (3 rounds: no interval)");
    }
}
