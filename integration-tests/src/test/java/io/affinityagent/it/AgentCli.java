package io.affinityagent.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line as a user runs it: {@code java -jar affinity-agent.jar ARGS}, a real process
 * (on the JDK given, as the user given), with its exit status and everything it printed.
 */
public final class AgentCli {

    /** One finished run. */
    public static final class Result {
        private final List<String> command;
        private final int exitCode;
        private final String stdout;
        private final String stderr;
        private final long millis;

        Result(List<String> command, int exitCode, String stdout, String stderr, long millis) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.millis = millis;
        }

        public int exitCode() {
            return exitCode;
        }

        public String stdout() {
            return stdout;
        }

        public String stderr() {
            return stderr;
        }

        /** Wall time of the whole command, JVM start included. */
        public long millis() {
            return millis;
        }

        public List<String> stderrLines() {
            return stderr.isEmpty() ? List.of() : Arrays.asList(stderr.split("\n"));
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\n--- exit status " + exitCode + "\n--- stdout:\n" + stdout
                    + "--- stderr:\n" + stderr;
        }
    }

    private final Jdk jdk;
    private final String user;

    private AgentCli(Jdk jdk, String user) {
        this.jdk = jdk;
        this.user = user;
    }

    /** On the JDK the tests run on, as the tests' user. */
    public static Result run(String... args) {
        return new AgentCli(Jdk.current(), null).execute(args);
    }

    public static AgentCli on(Jdk jdk) {
        return new AgentCli(jdk, null);
    }

    /** As another user (setpriv: real and effective uid and gid, no supplementary groups). */
    public AgentCli asUser(String name) {
        return new AgentCli(jdk, name);
    }

    public Result execute(String... args) {
        List<String> cmd = new ArrayList<>();
        if (user != null) {
            cmd.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups"));
        }
        cmd.add(jdk.java().toString());
        cmd.add("-jar");
        cmd.add(TargetJvm.AGENT_JAR.toString());
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("affinity-cli", ".out");
            Path err = Files.createTempFile("affinity-cli", ".err");
            try {
                long start = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(TargetJvm.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("the command did not finish: " + String.join(" ", cmd));
                }
                long millis = (System.nanoTime() - start) / 1_000_000;
                return new Result(cmd, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), millis);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
