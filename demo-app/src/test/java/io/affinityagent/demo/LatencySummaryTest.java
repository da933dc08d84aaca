package io.affinityagent.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencySummaryTest {

    @TempDir
    Path dir;

    @Test
    void percentilesAreNearestRankOverTheRecordedValuesOnly() {
        long[] latencies = new long[1000 + 5];
        long[] services = new long[latencies.length];
        for (int i = 0; i < 1000; i++) {
            latencies[i] = (1000 - i) * 1000L; // 1..1000 us, in reverse
            services[i] = 2000;
        }
        latencies[1000] = Long.MAX_VALUE; // beyond count: never read

        LatencySummary s = LatencySummary.of("pinned", latencies, services, 1000, 123.0, 0.5);

        assertThat(s.requests()).isEqualTo(1000);
        assertThat(s.p50Micros()).isEqualTo(500.0);
        assertThat(s.p99Micros()).isEqualTo(990.0);
        assertThat(s.p999Micros()).isEqualTo(999.0);
        assertThat(s.maxMicros()).isEqualTo(1000.0);
        assertThat(s.serviceP50Micros()).isEqualTo(2.0);
    }

    @Test
    void aSingleOutlierInAThousandIsTheMaxButNotTheP99() {
        long[] latencies = new long[1000];
        java.util.Arrays.fill(latencies, 10_000);
        latencies[17] = 9_000_000;
        LatencySummary s = LatencySummary.of("unpinned", latencies, new long[1000], 1000, 0, 0);
        assertThat(s.p99Micros()).isEqualTo(10.0);
        assertThat(s.p999Micros()).isEqualTo(10.0);
        assertThat(s.maxMicros()).isEqualTo(9000.0);
    }

    @Test
    void noRequestsGiveZerosNotAnError() {
        LatencySummary s = LatencySummary.of("x", new long[0], new long[0], 0, 0, 0);
        assertThat(s.requests()).isZero();
        assertThat(s.p99Micros()).isZero();
    }

    @Test
    void aSavedRunReadsBackAsItWas() throws IOException {
        LatencySummary s = new LatencySummary("unpinned", 25000, 93.4, 5559.2, 8361.0, 9736.9, 2.8, 6.39e6, 1.25);
        Path file = dir.resolve("run.properties");
        s.save(file);

        LatencySummary back = LatencySummary.load(file);

        assertThat(back.label()).isEqualTo("unpinned");
        assertThat(back.requests()).isEqualTo(25000);
        assertThat(back.p50Micros()).isEqualTo(93.4);
        assertThat(back.p99Micros()).isEqualTo(5559.2);
        assertThat(back.p999Micros()).isEqualTo(8361.0);
        assertThat(back.maxMicros()).isEqualTo(9736.9);
        assertThat(back.serviceP50Micros()).isEqualTo(2.8);
        assertThat(back.batchUnitsPerSecond()).isEqualTo(6.39e6);
        assertThat(back.loadAverage()).isEqualTo(1.25);
    }

    @Test
    void aRunSavedWithoutTheLoadAverageReadsBackWithoutIt() throws IOException {
        Path file = Files.writeString(dir.resolve("old.properties"), String.join("\n", "label = unpinned",
                "requests = 10", "p50_us = 1", "p99_us = 2", "p999_us = 3", "max_us = 4", "service_p50_us = 1",
                "batch_units_per_s = 5"));
        assertThat(LatencySummary.load(file).loadAverage()).isNaN();
        assertThat(LatencySummary.load(file).p99Micros()).isEqualTo(2.0);
    }

    @Test
    void aFileThatIsNotASavedRunIsNamed() throws IOException {
        Path file = Files.writeString(dir.resolve("other.properties"), "label = x\nrequests = 3\n");
        assertThatThrownBy(() -> LatencySummary.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("other.properties").hasMessageContaining("p50_us");
    }
}
