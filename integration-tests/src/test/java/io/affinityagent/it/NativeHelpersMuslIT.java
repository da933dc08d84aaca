package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The jar carries the native helper for x86-64 and for aarch64, whichever CPU built it, and each
 * loads under musl's dynamic loader (Alpine-based JVM images use musl): {@code ld-musl --list}
 * maps the library and binds every symbol it needs at once (musl binds nothing lazily), and
 * fails with "Error relocating ...: symbol not found" where the library needs something glibc
 * has and musl lacks. Then a small C program built against musl (src/test/c/musl_pin_check.c)
 * loads each helper and pins itself through it. The aarch64 side runs under qemu-user;
 * .ci/foreign-platforms.sh unpacks musl for arm64, and this machine's own comes from Debian's
 * musl-tools package.
 */
class NativeHelpersMuslIT {

    private static final String HELPERS = "inst/io/affinityagent/os/native/";
    private static final Path CACHE = Paths.get(System.getProperty("user.home"), ".cache/affinity-agent/foreign");

    @TempDir
    Path dir;

    @Test
    void theJarCarriesTheHelperForX8664AndAarch64() throws IOException {
        List<String> helpers = new ArrayList<>();
        try (JarFile jar = new JarFile(TargetJvm.AGENT_JAR.toFile())) {
            jar.stream().map(JarEntry::getName).filter(n -> n.startsWith(HELPERS) && n.endsWith(".so")).forEach(helpers::add);
        }
        assertThat(helpers).containsExactlyInAnyOrder(HELPERS + "linux-amd64/libaffinityagent.so",
                HELPERS + "linux-aarch64/libaffinityagent.so");
    }

    /**
     * @param machine the ELF e_machine of the CPU (62 x86-64, 183 aarch64)
     * @param loader  musl's loader on that CPU, as Debian's musl package installs it
     */
    @ParameterizedTest(name = "linux-{0}")
    @CsvSource({"amd64, 62, /lib/ld-musl-x86_64.so.1, musl-amd64", "aarch64, 183, /lib/ld-musl-aarch64.so.1, musl-arm64"})
    void eachHelperIsForItsCpuAndLoadsUnderMusl(String arch, int machine, String loader, String cached) throws Exception {
        Path helper = dir.resolve("libaffinityagent-" + arch + ".so");
        try (JarFile jar = new JarFile(TargetJvm.AGENT_JAR.toFile());
             InputStream in = jar.getInputStream(jar.getJarEntry(HELPERS + "linux-" + arch + "/libaffinityagent.so"))) {
            Files.copy(in, helper);
        }
        byte[] elf = Files.readAllBytes(helper);
        assertThat(new String(elf, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("ELF");
        assertThat((elf[18] & 0xff) | (elf[19] & 0xff) << 8).as("e_machine").isEqualTo(machine);

        List<String> command = new ArrayList<>(List.of(muslLoader(arch, loader, cached)));
        command.add("--list");
        command.add(helper.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(output).as(String.join(" ", command)).doesNotContain("Error");
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("libc.so"); // its only dependency, which musl answers itself
    }

    @ParameterizedTest(name = "linux-{0}")
    @CsvSource({"amd64", "aarch64"})
    void eachHelperPinsAProgramBuiltAgainstMusl(String arch) throws Exception {
        Path helper = dir.resolve("libaffinityagent-" + arch + ".so");
        try (JarFile jar = new JarFile(TargetJvm.AGENT_JAR.toFile());
             InputStream in = jar.getInputStream(jar.getJarEntry(HELPERS + "linux-" + arch + "/libaffinityagent.so"))) {
            Files.copy(in, helper);
        }
        Path source = Paths.get(System.getProperty("affinity.test.c-sources", "src/test/c")).resolve("musl_pin_check.c");
        Path program = dir.resolve("musl_pin_check-" + arch);
        Path jdk = Paths.get(System.getProperty("java.home"));
        List<String> compile = new ArrayList<>();
        List<String> run = new ArrayList<>();
        String host = System.getProperty("os.arch");
        if (arch.equals(host)) {
            assumeTrue(onPath("musl-gcc"), "no musl-gcc (Debian: musl-tools), which .ci/foreign-platforms.sh installs");
            compile.add("musl-gcc");
        } else if (arch.equals("aarch64") && host.equals("amd64")) {
            Path musl = CACHE.resolve("musl-arm64");
            assumeTrue(onPath("aarch64-linux-gnu-gcc") && Files.isExecutable(musl.resolve("run"))
                    && Files.exists(musl.resolve("root/usr/lib/aarch64-linux-musl/crt1.o")),
                    "no aarch64-linux-gnu-gcc or musl for arm64 in " + musl + ": run .ci/foreign-platforms.sh, as .ci/run does");
            Path lib = musl.resolve("root/usr/lib/aarch64-linux-musl");
            String gccInclude = output(List.of("aarch64-linux-gnu-gcc", "-print-file-name=include")).trim();
            String libgcc = output(List.of("aarch64-linux-gnu-gcc", "-print-libgcc-file-name")).trim();
            compile.addAll(List.of("aarch64-linux-gnu-gcc", "-nostdinc", "-isystem",
                    musl.resolve("root/usr/include/aarch64-linux-musl").toString(), "-isystem", gccInclude, "-nostdlib",
                    "-Wl,-dynamic-linker,/lib/ld-musl-aarch64.so.1", lib.resolve("crt1.o").toString(),
                    lib.resolve("crti.o").toString()));
            compile.add(source.toString());
            compile.addAll(List.of(musl.resolve("root/lib/aarch64-linux-musl/libc.so").toString(), libgcc,
                    lib.resolve("crtn.o").toString()));
            run.add(musl.resolve("run").toString());
        } else {
            assumeTrue(false, "building a musl program for " + arch + " on " + host + " is not set up");
        }
        if (arch.equals(host)) {
            compile.add(source.toString());
        }
        compile.addAll(List.of("-O2", "-I" + jdk.resolve("include"), "-I" + jdk.resolve("include/linux"), "-o",
                program.toString()));
        assertThat(output(compile)).as(String.join(" ", compile)).isEmpty();
        run.add(program.toString());
        run.add(helper.toString());

        Process p = new ProcessBuilder(run).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).as(String.join(" ", run) + ": " + out).isZero();
        assertThat(out).matches("tid=[1-9][0-9]* set=0 get=0 mask=[0-9a-f]+\\n");
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Paths.get(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command}, failing unless it exits 0; returns what it printed. */
    private static String output(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    /** The musl loader for {@code arch}: this machine's own, or one run under qemu-user. */
    private static String muslLoader(String arch, String loader, String cached) {
        String given = System.getProperty("affinity.test.musl." + arch);
        if (given != null) {
            return given;
        }
        if (Files.isExecutable(Paths.get(loader))) {
            return loader;
        }
        Path emulated = CACHE.resolve(cached).resolve("ld-musl");
        assumeTrue(Files.isExecutable(emulated), "no musl loader for " + arch + " at " + loader + " or " + emulated
                + " (-Daffinity.test.musl." + arch + "=...): run .ci/foreign-platforms.sh, as .ci/run does");
        return emulated.toString();
    }
}
