package io.affinityagent.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting the JVMs the whole-process benchmarks time, with their output kept in files. */
final class Processes {

    private Processes() {
    }

    /** What a finished process left: its status, its wall time, and its output. */
    static final class Finished {
        final int status;
        final long wallNanos;
        final long startedEpochMillis;
        final String stdout;
        final String stderr;

        Finished(int status, long wallNanos, long startedEpochMillis, String stdout, String stderr) {
            this.status = status;
            this.wallNanos = wallNanos;
            this.startedEpochMillis = startedEpochMillis;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        String describe() {
            return "exit " + status + "; stdout: " + tail(stdout) + "; stderr: " + tail(stderr);
        }
    }

    /**
     * Runs a command to its end (killing it after {@code timeoutSeconds}) and times it from just
     * before the launch to the moment its exit is seen. Output goes to files, read afterwards, so
     * that no reader thread of ours competes with the measured JVM.
     */
    static Finished run(List<String> command, Path outputDir, String name, long timeoutSeconds)
            throws IOException, InterruptedException {
        Files.createDirectories(outputDir);
        Path out = outputDir.resolve(name + ".out");
        Path err = outputDir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        long epoch = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        if (!done) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        return new Finished(p.exitValue(), t1 - t0, epoch, read(out), read(err));
    }

    static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }

    static String read(Path p) throws IOException {
        return Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8) : "";
    }

    static String tail(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return "(nothing)";
        }
        return t.length() > 600 ? "…" + t.substring(t.length() - 600) : t;
    }
}
