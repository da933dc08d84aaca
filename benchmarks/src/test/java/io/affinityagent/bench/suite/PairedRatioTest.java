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
        assertThat(r.medianIntervalHolds(1.0)).isFalse();
    }

    @Test
    void ratiosThatScatterAroundOneGiveAnIntervalHoldingOne() {
        List<Double> a = List.of(10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0);
        List<Double> b = List.of(9.0, 11.0, 9.5, 10.5, 9.2, 10.8, 10.1, 9.9);
        PairedRatio r = PairedRatio.of(a, b);
        assertThat(r.medianIntervalHolds(1.0)).isTrue();
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
}
