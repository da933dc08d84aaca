package io.affinityagent.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskPathRunTest {

    private static final List<Double> TEN = List.of(10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0);

    @Test
    void aTightIntervalAroundOneShowsAnyCostUnderTwoPercent() {
        PairedRatio r = PairedRatio.of(TEN, List.of(9.95, 10.05, 9.97, 10.03, 9.99, 10.01, 10.0, 9.98));
        assertThat(TaskPathRun.reading(r.medianRatioLow, r.medianRatioHigh)).isEqualTo("holds 1 and lies above 0.98: any cost is under 2%");
    }

    @Test
    void aWideIntervalAroundOneResolvesNothing() {
        PairedRatio r = PairedRatio.of(TEN, List.of(9.0, 11.0, 9.5, 10.5, 9.2, 10.8, 10.1, 9.9));
        assertThat(TaskPathRun.reading(r.medianRatioLow, r.medianRatioHigh)).isEqualTo("holds 1 and reaches below 0.98: not resolved");
    }

    @Test
    void anIntervalWhollyBelowOneIsACostAndSaysWhetherTheTargetHolds() {
        PairedRatio tenPercent = PairedRatio.of(TEN, List.of(9.0, 9.1, 8.9, 9.0, 9.05, 8.95, 9.0, 9.0));
        assertThat(TaskPathRun.reading(tenPercent.medianRatioLow, tenPercent.medianRatioHigh)).isEqualTo("below 1: a cost");
        PairedRatio onePercent = PairedRatio.of(TEN, List.of(9.9, 9.91, 9.89, 9.9, 9.92, 9.88, 9.9, 9.9));
        assertThat(TaskPathRun.reading(onePercent.medianRatioLow, onePercent.medianRatioHigh))
                .isEqualTo("below 1 but above 0.98: a cost under 2%");
    }

    @Test
    void theOneCpuScriptsFolderAndJavaAreQuotedForTheShell() throws Exception {
        String odd = "/tmp/it's a \"folder\" $HOME";
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf %s " + JmhArms.shellQuoted(odd)).start();
        assertThat(new String(p.getInputStream().readAllBytes())).isEqualTo(odd);
        assertThat(p.waitFor()).isZero();
    }
}
