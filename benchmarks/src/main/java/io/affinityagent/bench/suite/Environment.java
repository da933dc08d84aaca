package io.affinityagent.bench.suite;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Where things are (given by run-all.sh as system properties), the JDKs the measured JVMs run on,
 * and a description of the machine for RESULTS.md.
 */
final class Environment {

    final Path agentJar = path("affinity.agent.jar");
    final Path emptyAgentJar = path("affinity.bench.empty-agent.jar");
    /** The start-up benchmark's application alone in a jar (the empty agent's class is not on its class path). */
    final Path smallAppJar = path("affinity.bench.small-app.jar");
    final Path configs = path("affinity.bench.configs");
    final String demoClasspath = required("affinity.bench.demo.classpath");
    final Path demoConfig = path("affinity.bench.demo.config");
    final Path workDir = path("affinity.bench.work");
    /** The benchmark module's classes alone: the small applications the whole-process benchmarks start. */
    final Path benchClasses = path("affinity.bench.classes");
    final String command = System.getProperty("affinity.bench.command", "benchmarks/run-all.sh");
    final Jdk jdk;
    /** A second JDK for the start-up benchmark, or null. */
    final Jdk secondJdk;
    final CpuSet processCpus;

    Environment() throws IOException {
        jdk = Jdk.at(Paths.get(System.getProperty("affinity.bench.java-home", System.getProperty("java.home"))));
        String second = System.getProperty("affinity.bench.second-java-home", "");
        Jdk s = null;
        if (!second.isEmpty() && Files.isExecutable(Paths.get(second, "bin", "java"))) {
            s = Jdk.at(Paths.get(second));
            if (s.home.equals(jdk.home)) {
                s = null;
            }
        }
        secondJdk = s;
        processCpus = ProcFs.system().selfAllowedCpus();
        Files.createDirectories(workDir);
    }

    Path config(String name) {
        return configs.resolve(name).toAbsolutePath();
    }

    String agentArgument(String config) {
        return "-javaagent:" + agentJar.toAbsolutePath() + "=config=" + config(config);
    }

    /** Lines describing the machine, for the report. */
    List<String> describeMachine() {
        List<String> out = new ArrayList<>();
        out.add("- CPU: " + cpuModel() + "; this process may use CPUs " + processCpus + " (" + processCpus.size() + ")"
                + (isVirtualMachine() ? "; a virtual machine (the hypervisor flag is set)" : ""));
        out.add("- Memory: " + memTotal() + "; kernel: Linux " + read("/proc/sys/kernel/osrelease").trim());
        out.add("- JDK: " + jdk.describe() + (secondJdk != null ? "; start-up also on " + secondJdk.describe() : ""));
        out.add("- Load average (1, 5, 15 min) at the start: " + loadAverage());
        return out;
    }

    static String loadAverage() {
        String[] f = read("/proc/loadavg").trim().split(" ");
        return f.length >= 3 ? f[0] + ", " + f[1] + ", " + f[2] : "unknown";
    }

    static double loadAverage1() {
        try {
            return Double.parseDouble(read("/proc/loadavg").trim().split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String cpuModel() {
        for (String l : read("/proc/cpuinfo").split("\n")) {
            if (l.startsWith("model name")) {
                return l.substring(l.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    private static boolean isVirtualMachine() {
        for (String l : read("/proc/cpuinfo").split("\n")) {
            if (l.startsWith("flags") && l.contains(" hypervisor")) {
                return true;
            }
        }
        return false;
    }

    private static String memTotal() {
        for (String l : read("/proc/meminfo").split("\n")) {
            if (l.startsWith("MemTotal:")) {
                long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }

    static String read(String file) {
        try {
            return new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static Path path(String property) {
        return Paths.get(required(property)).toAbsolutePath().normalize();
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("-D" + property + " is not set (run benchmarks/run-all.sh)");
        }
        return v;
    }

    /** A JDK that measured JVMs run on. */
    static final class Jdk {
        final Path home;
        final int feature;
        final String version;
        final String vendor;

        private Jdk(Path home, int feature, String version, String vendor) {
            this.home = home;
            this.feature = feature;
            this.version = version;
            this.vendor = vendor;
        }

        /** Reads the JDK's release file (JAVA_VERSION, JAVA_RUNTIME_VERSION, IMPLEMENTOR). */
        static Jdk at(Path home) {
            String release = read(home.resolve("release").toString());
            String version = field(release, "JAVA_RUNTIME_VERSION", field(release, "JAVA_VERSION", "unknown"));
            String vendor = field(release, "IMPLEMENTOR", "");
            String v = field(release, "JAVA_VERSION", "0");
            int feature;
            try {
                feature = Integer.parseInt(v.split("[.+-]")[0]);
            } catch (NumberFormatException e) {
                feature = 0;
            }
            return new Jdk(home.toAbsolutePath().normalize(), feature, version, vendor);
        }

        Path java() {
            return home.resolve("bin").resolve("java");
        }

        String describe() {
            return (vendor.isEmpty() ? "" : vendor + " ") + version + " (" + home + ")";
        }

        String shortName() {
            return "JDK " + feature;
        }

        private static String field(String release, String key, String dflt) {
            for (String l : release.split("\n")) {
                if (l.startsWith(key + "=")) {
                    return l.substring(key.length() + 1).replace("\"", "").trim();
                }
            }
            return dflt;
        }
    }

    /** The absolute path of an executable on the PATH, or null. */
    static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            java.io.File f = new java.io.File(dir, name);
            if (f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
