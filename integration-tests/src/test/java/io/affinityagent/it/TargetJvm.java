package io.affinityagent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.affinityagent.it.apps.PoolLab;

/**
 * A real JVM started for a test, usually with the real agent jar and a test application from
 * {@code it.apps} that takes commands on stdin. Keeps every line it prints.
 */
public final class TargetJvm implements AutoCloseable {

    public static final Path AGENT_JAR = Paths.get(System.getProperty("affinity.agent.jar",
            "../agent/target/affinity-agent.jar")).toAbsolutePath().normalize();
    public static final String APPS_CLASSPATH = System.getProperty("affinity.test.apps", "target/test-classes");
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final long pid;
    private final Writer stdin;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final List<String> command;
    private final List<Thread> pumps = new ArrayList<>();
    /** Set when the lab's stderr marker was read: every stderr line printed before it is in {@link #stderr}. */
    private final java.util.concurrent.atomic.AtomicBoolean stderrCaughtUp = new java.util.concurrent.atomic.AtomicBoolean();

    /** The application reads no commands: close() ends it with SIGTERM at once. */
    private final boolean endedBySignal;

    private TargetJvm(List<String> command, Path directory, boolean endedBySignal) throws IOException {
        this.command = command;
        this.endedBySignal = endedBySignal;
        ProcessBuilder builder = new ProcessBuilder(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        process = builder.start();
        pid = process.pid();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pumps.add(pump(process.getInputStream(), stdout, "stdout", null));
        pumps.add(pump(process.getErrorStream(), stderr, "stderr", stderrCaughtUp));
    }

    /** How to start a target JVM. */
    public static final class Builder {
        private final Jdk jdk;
        private String agentArgs;
        private final List<String> jvmOptions = new ArrayList<>();
        private String classpath = APPS_CLASSPATH;
        private String mainClass = "io.affinityagent.it.apps.PoolLab";
        private final List<String> args = new ArrayList<>();
        private TestUser user;
        private boolean endedBySignal;

        Builder(Jdk jdk) {
            this.jdk = jdk;
        }

        /** -javaagent:affinity-agent.jar=ARGS */
        public Builder agent(String args) {
            this.agentArgs = args;
            return this;
        }

        public Builder config(Path file) {
            return agent("config=" + file);
        }

        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public Builder classpath(String classpath) {
            this.classpath = classpath;
            return this;
        }

        /**
         * Runs the JVM as another user (setpriv execs java, so the process id is the JVM's), in that
         * user's directory and on its copy of the test applications (the checkout may be private).
         */
        public Builder user(TestUser user) {
            this.user = user;
            if (APPS_CLASSPATH.equals(classpath)) {
                classpath = user.appsClasspath();
            }
            return this;
        }

        /**
         * For an application that reads no commands on stdin (the demo): {@link #close} ends it with
         * SIGTERM at once instead of asking it to exit and waiting 10 s first.
         */
        public Builder endedBySignal() {
            this.endedBySignal = true;
            return this;
        }

        public Builder main(String mainClass, String... args) {
            this.mainClass = mainClass;
            this.args.addAll(List.of(args));
            return this;
        }

        /** Starts the JVM; for the command-driven apps (PoolLab, ChurnLab), waits until it says READY. */
        public TargetJvm start() {
            return start(mainClass.endsWith(".PoolLab") || mainClass.endsWith(".ChurnLab"));
        }

        /** Starts the JVM without waiting for anything (it may stop at once). */
        public TargetJvm launch() {
            return start(false);
        }

        private TargetJvm start(boolean awaitReady) {
            List<String> cmd = new ArrayList<>();
            if (user != null) {
                cmd.addAll(List.of("setpriv", "--reuid=" + user.uid(), "--regid=" + user.uid(), "--clear-groups"));
            }
            cmd.add(jdk.java().toString());
            if (agentArgs != null) {
                cmd.add("-javaagent:" + AGENT_JAR + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
            }
            cmd.add("-Xshare:auto");
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(mainClass);
            cmd.addAll(args);
            try {
                TargetJvm jvm = new TargetJvm(cmd, user == null ? null : user.dir(), endedBySignal);
                if (awaitReady) {
                    jvm.awaitStdout(l -> l.startsWith("READY "));
                    // stdout and stderr are read by two threads: READY on stdout does not mean the
                    // agent's start-up lines on stderr are read yet. The lab's marker, printed on
                    // stderr just before READY, does.
                    Await.value("the lab's stderr marker from " + jvm.describe(), TIMEOUT,
                            () -> jvm.stderrCaughtUp.get() ? Boolean.TRUE : null);
                }
                return jvm;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static Builder with(Jdk jdk) {
        return new Builder(jdk);
    }

    public long pid() {
        return pid;
    }

    /** Sends a PoolLab command and waits for its OK; fails on ERR. Returns the answer line. */
    public String command(String line) {
        return command(line, TIMEOUT);
    }

    /** {@link #command(String)} for a command that may take longer than {@link #TIMEOUT} (a long churn). */
    public String command(String line, Duration timeout) {
        int from;
        synchronized (stdout) {
            from = stdout.size();
        }
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send '" + line + "': " + describe(), e);
        }
        String answer = awaitStdout(from, timeout, l -> l.equals("OK " + line) || l.startsWith("OK " + line + " -> ")
                || l.startsWith("ERR " + line));
        if (answer.startsWith("ERR")) {
            throw new AssertionError("command failed: " + answer + "\n" + describe());
        }
        return answer;
    }

    /** {@code occupy POOL COUNT}, returning the workers that reported for it. */
    public List<Worker> occupy(String pool, int count) {
        int from;
        synchronized (stdout) {
            from = stdout.size();
        }
        command("occupy " + pool + " " + count);
        return workersSince(from, "WORKER " + pool + " ");
    }

    /** Workers reported with the given line prefix since stdout line {@code from}. */
    public List<Worker> workersSince(int from, String prefix) {
        synchronized (stdout) {
            return stdout.subList(from, stdout.size()).stream().filter(l -> l.startsWith(prefix))
                    .map(l -> Worker.parse(pid, l)).collect(Collectors.toList());
        }
    }

    public int stdoutSize() {
        synchronized (stdout) {
            return stdout.size();
        }
    }

    public String awaitStdout(Predicate<String> match) {
        return awaitStdout(0, match);
    }

    public String awaitStdout(int from, Predicate<String> match) {
        return awaitStdout(from, TIMEOUT, match);
    }

    public String awaitStdout(int from, Duration timeout, Predicate<String> match) {
        return Await.value("a matching line on stdout of " + describe(), timeout, () -> {
            synchronized (stdout) {
                for (int i = from; i < stdout.size(); i++) {
                    if (match.test(stdout.get(i))) {
                        return stdout.get(i);
                    }
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the JVM exited with " + process.exitValue());
            }
            return null;
        });
    }

    public String awaitStderr(Predicate<String> match) {
        return Await.value("a matching line on stderr of " + describe(), TIMEOUT, () -> {
            synchronized (stderr) {
                for (String l : stderr) {
                    if (match.test(l)) {
                        return l;
                    }
                }
            }
            return null;
        });
    }

    public List<String> stdout() {
        synchronized (stdout) {
            return new ArrayList<>(stdout);
        }
    }

    public List<String> stderr() {
        synchronized (stderr) {
            return new ArrayList<>(stderr);
        }
    }

    /** The agent's own stderr lines, without the prefix. */
    public List<String> agentLines() {
        return stderr().stream().filter(l -> l.startsWith("[affinity-agent] "))
                .map(l -> l.substring("[affinity-agent] ".length())).collect(Collectors.toList());
    }

    /** Waits for the JVM to exit by itself and returns its status. */
    public int awaitExit() {
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the JVM did not exit: " + describe());
            }
            for (Thread pump : pumps) {
                pump.join(TIMEOUT.toMillis()); // every line it printed is read
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The agent's published status (agent properties), read through the attach API. */
    public Properties agentProperties() {
        return AgentStatus.read(pid);
    }

    public String describe() {
        return "pid " + pid + " " + String.join(" ", command) + "\n--- stdout:\n" + String.join("\n", stdout())
                + "\n--- stderr:\n" + String.join("\n", stderr());
    }

    /** kill -9: the JVM ends at once, with no shutdown hook and no chance to release anything. */
    public void kill9() {
        try {
            process.destroyForcibly().waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (process.isAlive()) {
            throw new AssertionError("kill -9 did not end " + describe());
        }
    }

    /**
     * Asks the application to exit, then SIGTERM, then SIGKILL, 10 s apart. SIGTERM before SIGKILL:
     * a JVM that ends in order removes its attach socket (/tmp/.java_pidN); one killed leaves it, and
     * a later JVM of another user with that pid could not be attached.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                if (!endedBySignal) {
                    try {
                        stdin.write("exit\n");
                        stdin.flush();
                    } catch (IOException ignored) {
                        // already closing
                    }
                    if (process.waitFor(10, TimeUnit.SECONDS)) {
                        return;
                    }
                }
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads a stream line by line into a list; the lab's stderr marker sets {@code marker} instead. */
    private static Thread pump(InputStream in, List<String> into, String name,
            java.util.concurrent.atomic.AtomicBoolean marker) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    if (marker != null && l.equals(PoolLab.STDERR_MARKER)) {
                        marker.set(true);
                        continue;
                    }
                    synchronized (into) {
                        into.add(l);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "target-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
