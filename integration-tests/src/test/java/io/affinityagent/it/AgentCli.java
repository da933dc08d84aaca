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
    private final TestUser user;
    private final Path jar;
    private final List<String> jvmOptions;

    private AgentCli(Jdk jdk, TestUser user, Path jar) {
        this(jdk, user, jar, List.of());
    }

    private AgentCli(Jdk jdk, TestUser user, Path jar, List<String> jvmOptions) {
        this.jdk = jdk;
        this.user = user;
        this.jar = jar;
        this.jvmOptions = jvmOptions;
    }

    /** On the JDK the tests run on, as the tests' user. */
    public static Result run(String... args) {
        return new AgentCli(Jdk.current(), null, TargetJvm.AGENT_JAR).execute(args);
    }

    public static AgentCli on(Jdk jdk) {
        return new AgentCli(jdk, null, TargetJvm.AGENT_JAR);
    }

    /**
     * As another user (setpriv: real and effective uid and gid, no supplementary groups), from its
     * copy of the jar and in its directory, since the checkout may be private.
     */
    public AgentCli asUser(TestUser other) {
        return new AgentCli(jdk, other, other.jar());
    }

    /** With options for the command's own JVM, before -jar. */
    public AgentCli jvmOptions(String... options) {
        return new AgentCli(jdk, user, jar, List.of(options));
    }

    /** From a copy of the jar that another user can read (the agent is loaded from the same jar). */
    public AgentCli jarOf(TestUser other) {
        return new AgentCli(jdk, user, other.jar());
    }

    public Result execute(String... args) {
        List<String> cmd = new ArrayList<>();
        if (user != null) {
            cmd.addAll(List.of("setpriv", "--reuid=" + user.uid(), "--regid=" + user.uid(), "--clear-groups"));
        }
        cmd.add(jdk.java().toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("affinity-cli", ".out");
            Path err = Files.createTempFile("affinity-cli", ".err");
            try {
                long start = System.nanoTime();
                ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (user != null) {
                    builder.directory(user.dir().toFile());
                }
                Process p = builder.start();
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
