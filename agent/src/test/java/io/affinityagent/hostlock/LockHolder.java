package io.affinityagent.hostlock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real JVM running {@link LockHolderMain}, on this test's class path. */
final class LockHolder implements AutoCloseable {

    final Process process;
    private final BufferedReader out;
    private final Writer in;
    final boolean locked;

    private LockHolder(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String first = out.readLine();
        if (first == null || !first.startsWith("locked ")) {
            throw new IOException("lock holder said " + first + "; stderr: "
                    + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        this.locked = first.equals("locked true");
    }

    static LockHolder start(String mode, Path dir, int cpu, String... jvmOptions) throws IOException {
        return start(null, mode, dir, cpu, jvmOptions);
    }

    /** @param umask when not null, the child runs with this umask (set by sh before it execs java) */
    static LockHolder start(String umask, String mode, Path dir, int cpu, String... jvmOptions) throws IOException {
        return start(null, System.getProperty("java.class.path"), umask, mode, dir, cpu, jvmOptions);
    }

    /**
     * @param uid       when not null, the child runs as this user and group (setpriv; the test runs as root)
     * @param classPath what the child loads: readable by that user
     */
    static LockHolder start(Integer uid, String classPath, String umask, String mode, Path dir, int cpu,
                            String... jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        if (uid != null) {
            cmd.add("setpriv");
            cmd.add("--reuid=" + uid);
            cmd.add("--regid=" + uid);
            cmd.add("--clear-groups");
        }
        if (umask != null) {
            cmd.add("sh");
            cmd.add("-c");
            cmd.add("umask " + umask + "; exec \"$0\" \"$@\"");
        }
        cmd.add(java);
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        for (String o : jvmOptions) {
            cmd.add(o);
        }
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(LockHolderMain.class.getName());
        cmd.add(mode);
        cmd.add(dir.toString());
        cmd.add(Integer.toString(cpu));
        return new LockHolder(new ProcessBuilder(cmd).start());
    }

    long pid() {
        return process.pid();
    }

    void release() throws IOException {
        in.write("release\n");
        in.flush();
        String line = out.readLine();
        if (!"released".equals(line)) {
            throw new IOException("lock holder said " + line);
        }
    }

    String stderrAfterExit() throws IOException, InterruptedException {
        in.close();
        process.waitFor(30, TimeUnit.SECONDS);
        return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
