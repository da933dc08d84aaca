package io.affinityagent.it;

import static io.affinityagent.it.TargetAssertions.countByMask;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * What the agent must never do inside someone else's JVM: start a process (no shell-outs, in its
 * Java code or its native helper), leave a file behind or make one others may write, or open a
 * network port.
 */
class SecurityIT {

    @TempDir
    Path dir;

    // ---- no shell-outs --------------------------------------------------------------------------

    /** Calls that start a process: owner, method ("*" for any). */
    private static final String[][] PROCESS_CALLS = {
        {"java/lang/Runtime", "exec"},
        {"java/lang/ProcessBuilder", "<init>"},
        {"java/lang/ProcessBuilder", "start"},
        {"java/lang/ProcessBuilder", "startPipeline"},
        {"java/lang/ProcessImpl", "*"},
        {"java/lang/UNIXProcess", "*"},
    };

    /**
     * The one process start in the jar, and it is not the agent's: picocli (the command line's
     * parser) runs {@code tput cols} to size its help when a user asks for it with
     * {@code -Dpicocli.usage.width=AUTO} on {@code java -jar affinity-agent.jar}. That is the
     * user's own command-line JVM, never the application's: the agent side does not load picocli
     * ({@link #anApplicationJvmWithTheAgentLoadsNoProcessClassAndNoPicocli}), and the command line
     * clears that setting before picocli reads it (AffinityAgentCli.run), so the probe is never
     * reached. Only this method of this class is allowed, so anything new is caught.
     */
    private static final String PICOCLI_TERMINAL_WIDTH = "inst/classes.pack: picocli/CommandLine$Model$UsageMessageSpec$1 run()V";

    /**
     * JNA (the fallback's, for CPUs without a native helper) runs {@code /sbin/ldconfig -p} when
     * first initialised unless {@code jna.platform.library.path} is set; the agent sets it before
     * JNA loads (os.JnaLibraryPath), so this is never reached either
     * ({@code FallbackBackendIT} starts the fallback and checks that no process class is loaded).
     */
    private static final String JNA_LDCONFIG = "inst/classes.pack: com/sun/jna/NativeLibrary getLinuxLdPaths()Ljava/util/ArrayList;: java/lang/Runtime.exec";

    @Test
    void noClassInTheAgentJarStartsAProcess() throws IOException {
        List<String> findings = new ArrayList<>();
        int launcherClasses = 0;
        int isolatedClasses = 0;
        try (JarFile jar = new JarFile(TargetJvm.AGENT_JAR.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                assertThat(name).as("a class outside the pack, but the launcher's (and the private library copy it uses)")
                        .matches(n -> !n.endsWith(".class") || n.startsWith("io/affinityagent/launcher/")
                                || n.startsWith("io/affinityagent/nativefile/"));
                if (name.endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        findings.addAll(processStarts(name, in.readAllBytes()));
                    }
                    launcherClasses++;
                }
            }
            for (Map.Entry<String, byte[]> c : packedClasses(jar).entrySet()) {
                findings.addAll(processStarts("inst/classes.pack: " + c.getKey(), c.getValue()));
                isolatedClasses++;
            }
        }
        // Every class was looked at: the launcher at the root, the agent and its libraries in the pack.
        assertThat(launcherClasses).as("launcher classes").isPositive();
        assertThat(isolatedClasses).as("classes in inst/classes.pack (the agent, ASM)").isGreaterThan(100);
        assertThat(findings).as("process starts in %s", TargetJvm.AGENT_JAR)
                .allMatch(f -> f.startsWith(PICOCLI_TERMINAL_WIDTH + ": ") || f.equals(JNA_LDCONFIG),
                        "is picocli's terminal-width probe or JNA's ldconfig");
        assertThat(findings).as("process starts in the agent's own classes").noneMatch(f -> f.contains("io/affinityagent/"));
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void anApplicationJvmWithTheAgentLoadsNoProcessClassAndNoPicocli(Jdk jdk) {
        TwoCpus cpus = TwoCpus.get();
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = " + cpus.both);
        // Class loading logged to stdout, where the test reads it; the application starts no process.
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).jvmOption("-Xlog:class+load=info:stdout").start()) {
            jvm.command("pool p fixed 2 order-");
            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));
            jvm.command("shutdown p");

            List<String> loaded = jvm.stdout().stream().filter(l -> l.contains("[class,load]")).collect(Collectors.toList());
            assertThat(loaded).as("classes loaded").anySatisfy(l -> assertThat(l).contains("io.affinityagent.engine.PinningEngine"));
            assertThat(loaded).as("classes loaded").noneMatch(l -> l.contains(" java.lang.ProcessBuilder ")
                    || l.contains(" java.lang.ProcessImpl ") || l.contains(" java.lang.ProcessHandleImpl ")
                    || l.contains(" picocli."));
        }
    }

    @Test
    void theScanFindsAProcessStartWhereThereIsOne() throws IOException {
        // A control: TargetJvm starts the target JVMs with ProcessBuilder.
        byte[] harness;
        try (InputStream in = TargetJvm.class.getResourceAsStream("TargetJvm.class")) {
            harness = in.readAllBytes();
        }
        assertThat(processStarts("TargetJvm.class", harness))
                .anySatisfy(f -> assertThat(f).contains("java/lang/ProcessBuilder.<init>"))
                .anySatisfy(f -> assertThat(f).contains("java/lang/ProcessBuilder.start"));
    }

    /**
     * The classes in the jar's pack, read by the jar's own reader (the launcher's ClassPack, which
     * only the agent jar holds), name to class file.
     */
    private static Map<String, byte[]> packedClasses(JarFile jar) throws IOException {
        try (URLClassLoader launcher = new URLClassLoader(new URL[] {TargetJvm.AGENT_JAR.toUri().toURL()}, null)) {
            Class<?> packClass = Class.forName("io.affinityagent.launcher.ClassPack", true, launcher);
            Object pack = packClass.getMethod("in", JarFile.class).invoke(null, jar);
            Method read = packClass.getMethod("read", String.class);
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (Object name : (List<?>) packClass.getMethod("names").invoke(pack)) {
                classes.put((String) name, (byte[]) read.invoke(pack, name));
            }
            return classes;
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot read the class pack of " + TargetJvm.AGENT_JAR + ": " + e, e);
        }
    }

    /** Every reference in a class file to a call that starts a process: direct, by method handle, or by name. */
    static List<String> processStarts(String where, byte[] classFile) {
        List<String> found = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                String method = where + " " + name + descriptor;
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String callee, String desc, boolean itf) {
                        check(method, owner, callee);
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String callee, String desc, Handle bootstrap, Object... args) {
                        constant(method, bootstrap);
                        for (Object a : args) {
                            constant(method, a);
                        }
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        constant(method, value);
                    }
                };
            }

            private void constant(String method, Object value) {
                if (value instanceof Handle) {
                    check(method, ((Handle) value).getOwner(), ((Handle) value).getName());
                } else if (value instanceof Type && ((Type) value).getSort() == Type.OBJECT) {
                    check(method, ((Type) value).getInternalName(), "*");
                } else if (value instanceof String) {
                    String s = ((String) value).replace('.', '/');
                    for (String[] call : PROCESS_CALLS) {
                        if (s.contains(call[0]) && !call[1].equals("exec")) {
                            found.add(method + ": names " + value);
                        }
                    }
                }
            }

            private void check(String method, String owner, String callee) {
                for (String[] call : PROCESS_CALLS) {
                    if (owner.equals(call[0]) && (call[1].equals("*") || callee.equals("*") || call[1].equals(callee))) {
                        found.add(method + ": " + owner + "." + callee);
                    }
                }
            }
        }, ClassReader.SKIP_FRAMES);
        return found;
    }

    @Test
    void theNativeHelperImportsNothingThatStartsAProcessOrOpensASocket() throws Exception {
        Path library = dir.resolve("libaffinityagent.so");
        try (JarFile jar = new JarFile(TargetJvm.AGENT_JAR.toFile())) {
            JarEntry entry = jar.stream().filter(e -> e.getName().endsWith("/libaffinityagent.so")).findFirst().orElseThrow();
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, library);
            }
        }
        Process nm = new ProcessBuilder("nm", "-D", "--undefined-only", library.toString()).redirectErrorStream(true).start();
        String out = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(nm.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(nm.exitValue()).as(out).isZero();
        Set<String> imported = out.lines().map(l -> l.trim().split("\\s+")).map(f -> f[f.length - 1].replaceAll("@.*", ""))
                .collect(Collectors.toSet());

        assertThat(imported).as("what the helper needs").contains("sched_setaffinity", "sched_getaffinity");
        assertThat(imported).as("functions the helper imports").doesNotContainAnyElementsOf(List.of("execve", "execv", "execvp",
                "execvpe", "execl", "execlp", "execle", "fexecve", "system", "popen", "fork", "vfork", "clone", "posix_spawn",
                "posix_spawnp", "socket", "bind", "listen", "accept", "connect", "dlopen"));
    }

    // ---- files ----------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void theAgentLeavesNoFileBehindAndItsHelperWasInADirectoryOfItsOwn(Jdk jdk) throws IOException {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        TwoCpus cpus = TwoCpus.get();
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = " + cpus.both);
        try (TargetJvm jvm = TargetJvm.with(jdk).config(config).jvmOption("-Djava.io.tmpdir=" + tmp).start()) {
            jvm.command("pool p fixed 2 order-");
            assertThat(countByMask(jvm.occupy("p", 2))).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1)); // the helper is in use

            // The helper is mapped from where the agent put it, a directory of its own in
            // java.io.tmpdir, and was deleted once loaded ...
            List<String> mapped = Files.readAllLines(Paths.get("/proc/" + jvm.pid() + "/maps")).stream()
                    .filter(l -> l.contains("libaffinityagent.so")).collect(Collectors.toList());
            // (JDK 17-23: twice, the launcher's copy for the start's priority too, launcher.StartPriority)
            assertThat(mapped).isNotEmpty().allSatisfy(l -> assertThat(l.substring(l.indexOf('/')))
                    .matches(java.util.regex.Pattern.quote(tmp + "/affinity-agent-") + "(start-)?" + jvm.pid()
                            + "-[0-9a-f]+/libaffinityagent\\.so \\(deleted\\)"));
            // ... with the directory: java.io.tmpdir is as empty as before, and no file of it is open.
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left).as("left in java.io.tmpdir").isEmpty();
            }
            assertThat(openFiles(jvm.pid())).noneMatch(f -> f.startsWith(tmp.toString()));
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void anApplicationThatEndsWhileTheHelperIsOnDiskLeavesNoFileBehind(Jdk jdk) throws Exception {
        jdk.requirePresent();
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = all");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        // main returns the moment a copy of the helper is in java.io.tmpdir: the JVM exits with the copy on disk.
        List<String> command = List.of(jdk.java().toString(), "-javaagent:" + TargetJvm.AGENT_JAR + "=config=" + config,
                "-Djava.io.tmpdir=" + tmp, "-Xshare:auto", "-cp", TargetJvm.APPS_CLASSPATH,
                "io.affinityagent.it.apps.ExitDuringHelperCopy");
        int saw = 0;
        for (int run = 0; run < 10; run++) {
            Path log = dir.resolve("run-" + run + ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(p.waitFor(TargetJvm.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("run %d ends", run).isTrue();
            String output = Files.readString(log);
            assertThat(p.exitValue()).as("run %d: %s", run, output).isZero();
            saw += output.contains("SAW ") ? 1 : 0;
        }
        assertThat(saw).as("runs that ended with a copy on disk").isPositive();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("what the runs left in java.io.tmpdir").isEmpty();
        }
    }

    private static List<String> openFiles(long pid) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    out.add(Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException closedMeanwhile) {
                    // gone
                }
            }
        }
        return out;
    }

    // ---- network --------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void theAgentOpensNoSocket(Jdk jdk) throws IOException {
        TwoCpus cpus = TwoCpus.get();
        Path config = Configs.write(dir, "rule.orders.thread-name = order-*", "rule.orders.cpus = " + cpus.both);
        // Looked at before anything attaches to them: an attach makes the JVM open a socket of its own.
        try (TargetJvm with = TargetJvm.with(jdk).config(config).start();
             TargetJvm without = TargetJvm.with(jdk).start()) {
            for (TargetJvm jvm : List.of(with, without)) {
                jvm.command("pool p fixed 2 order-");
                jvm.occupy("p", 2);
            }
            assertThat(countByMask(with.workersSince(0, "WORKER p "))).isEqualTo(Map.of(cpus.s0, 1, cpus.s1, 1));

            assertThat(socketInodes(with.pid())).as("sockets of the JVM with the agent")
                    .hasSameSizeAs(socketInodes(without.pid()));
            assertThat(inetSockets(with.pid())).as("network sockets of the JVM with the agent").isEmpty();

            // A control: the same look finds a port the application opens.
            String port = Churn.fields(with.command("listen")).get("port");
            assertThat(inetSockets(with.pid())).containsExactly("tcp 127.0.0.1:" + port + " LISTEN");
        }
    }

    /** The inodes of the process's open sockets, from its /proc/PID/fd links ("socket:[N]"). */
    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String target : openFiles(pid)) {
            if (target.startsWith("socket:[")) {
                inodes.add(target.substring("socket:[".length(), target.length() - 1));
            }
        }
        return inodes;
    }

    /** The process's own TCP and UDP sockets, IPv4 and IPv6, as "tcp ADDRESS:PORT STATE". */
    private static List<String> inetSockets(long pid) throws IOException {
        Set<String> mine = socketInodes(pid);
        List<String> out = new ArrayList<>();
        for (String table : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Paths.get("/proc/" + pid + "/net/" + table));
            } catch (NoSuchFileException e) {
                continue; // no IPv6 here
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (mine.contains(f[9])) {
                    out.add(table.replace("6", "") + " " + address(f[1]) + " " + ("0A".equals(f[3]) ? "LISTEN" : "state " + f[3]));
                }
            }
        }
        return out;
    }

    /**
     * "0100007F:1F90" as "127.0.0.1:8080", IPv4 or IPv4-mapped IPv6 (a dual-stack socket); other
     * addresses as they are, with the port decoded.
     */
    private static String address(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String ipv4 = parts[0].length() == 8 ? parts[0]
                : parts[0].startsWith("0000000000000000FFFF0000") ? parts[0].substring(24) : null;
        if (ipv4 != null) {
            long ip = Long.parseLong(ipv4, 16);
            return (ip & 0xff) + "." + (ip >> 8 & 0xff) + "." + (ip >> 16 & 0xff) + "." + (ip >> 24 & 0xff) + ":" + port;
        }
        return parts[0] + ":" + port;
    }
}
