package io.affinityagent.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void medianAndQuartilesInterpolateBetweenOrderStatistics() {
        Samples s = Samples.of(List.of(4.0, 1.0, 3.0, 2.0));
        assertThat(s.median()).isEqualTo(2.5);
        assertThat(s.quantile(0.25)).isEqualTo(1.75);
        assertThat(s.quantile(0.75)).isEqualTo(3.25);
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(4.0);
    }

    @Test
    void anOddCountHasItsMiddleValueAsMedian() {
        assertThat(Samples.of(List.of(9.0, 1.0, 5.0)).median()).isEqualTo(5.0);
    }

    @Test
    void theSpreadShownDependsOnHowManyRunsThereAre() {
        assertThat(Samples.of(List.of(2.0)).describe("%.1f")).isEqualTo("2.0 (n=1)");
        assertThat(Samples.of(List.of(1.0, 2.0, 4.0)).describe("%.1f")).isEqualTo("2.0 (range 1.0–4.0, n=3)");
        assertThat(Samples.of(List.of(1.0, 2.0, 3.0, 4.0, 5.0)).describe("%.1f"))
                .isEqualTo("3.0 (IQR 2.0–4.0, range 1.0–5.0, n=5)");
        assertThat(Samples.of(List.of()).describe("%.1f")).isEqualTo("no data");
        assertThat(Samples.of(List.of()).median()).isNaN();
    }

    @Test
    void scalingChangesTheUnitOfEverySample() {
        Samples s = Samples.of(List.of(2e6, 4e6)).scaled(1e-6);
        assertThat(s.min()).isEqualTo(2.0);
        assertThat(s.max()).isEqualTo(4.0);
    }
}
