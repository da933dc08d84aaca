package io.affinityagent.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path dir;

    @Test
    void theGeneratedBlockIsReplacedAndTheHandWrittenTextKept() throws IOException {
        Path file = dir.resolve("RESULTS.md");
        Files.write(file, List.of("# Title", "hand-written intro", Report.BEGIN, "old figures", Report.END,
                "hand-written notes"), StandardCharsets.UTF_8);

        Report.write(file, List.of(Report.BEGIN, "new figures", Report.END));

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly("# Title", "hand-written intro",
                Report.BEGIN, "new figures", Report.END, "hand-written notes");
    }

    @Test
    void aFileWithoutTheMarkersGetsTheBlockAppended() throws IOException {
        Path file = dir.resolve("other.md");
        Files.write(file, List.of("# Notes"), StandardCharsets.UTF_8);

        Report.write(file, List.of(Report.BEGIN, "figures", Report.END));

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly("# Notes", "", Report.BEGIN,
                "figures", Report.END);
    }

    @Test
    void aMissedTargetSaysByHowMuchAndAFigureThatCouldNotBeMeasuredIsAFailure() {
        Section s = new Section("9", "test");
        s.target("ratio", 0.95, "%.3f", false, 0.98);
        s.target("extra µs", 12.0, "%.1f", true, 20);
        s.target("seconds", Double.NaN, "%.3f", true, 1.5);

        assertThat(s.verdicts).extracting(v -> v.status).containsExactly(Section.Status.MISSED, Section.Status.MET,
                Section.Status.FAILED);
        assertThat(s.render()).contains("**ratio: 0.950** (target ≥ 0.980: MISSED — missed by 0.030)",
                "**extra µs: 12.0** (target ≤ 20.0: met)", "**seconds: no figure** (target ≤ 1.500)");
    }
}
