package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile config files: thousands of generated and mutated files, plus the file-system oddities
 * (a directory, an unreadable file, a pipe, a device, a symlink loop, an oversized file). Every
 * one must come back as config problems that name the file (and the line and key where there
 * is one), never as another exception, never as a hang, and never as a partial config: either
 * a whole valid plan and no error, or no plan and at least one error.
 *
 * <p>Seeded and reproducible: {@code -Dfuzz.seed=N -Dfuzz.cases=N} replay or widen a run; a
 * failure names the seed and the case.
 */
class ConfigFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 0x6AFF1_417L);
    private static final int CASES = Integer.getInteger("fuzz.cases", 4000);
    /** Far above any honest parse, even on a loaded machine (the largest cases take about 1 s alone, 20 s at load 20); only a hang or a blow-up gets near it. */
    private static final long PARSE_BOUND_MS = 60_000;

    /** The machines the same file is resolved against: 2 CPUs, the largest Linux, a sparse cpuset. */
    private static final List<CpuContext> MACHINES = List.of(
            CpuContext.of(CpuSet.range(0, 1)),
            CpuContext.of(CpuSet.range(0, CpuSet.MAX_CPU)),
            CpuContext.of(CpuSet.builder().add(0).add(5).addRange(64, 127, 1).add(CpuSet.MAX_CPU).build()));

    private static final String DESIGN_EXAMPLE = String.join("\n",
            "# /etc/affinity.properties",
            "rules = orders, batch, common          # tried in this order; the first that matches wins",
            "",
            "rule.orders.thread-name = order-*      # glob on the worker's thread name (* and ?)",
            "rule.orders.cpus = 0-1",
            "rule.orders.strategy = round-robin     # one CPU per worker",
            "",
            "rule.batch.pool = thread-pool",
            "rule.batch.cpus = all",
            "rule.batch.strategy = shared",
            "",
            "rule.common.pool = common-pool",
            "rule.common.cpus = +0",
            "rule.common.pool-class = java.util.concurrent.ForkJoinPool",
            "on-error = warn",
            "log = info",
            "");

    /** Runs each load, so that one that hangs can be abandoned; replaced after a hang. */
    private static ExecutorService parser;

    @TempDir
    Path dir;

    private long slowestMs;
    private int valid;
    private int refused;

    @BeforeAll
    static void startParser() {
        parser = newParser();
    }

    private static ExecutorService newParser() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "config-fuzz-parser");
            t.setDaemon(true); // a parse that hangs must not keep the test JVM alive
            return t;
        });
    }

    @AfterAll
    static void stopParser() {
        parser.shutdownNow();
    }

    @Test
    void thousandsOfGeneratedAndMutatedFilesGiveOnlyConfigProblems() throws Exception {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            byte[] content;
            String kind;
            switch (i % 4) {
                case 0:
                    kind = "generated";
                    content = generated(random).getBytes(StandardCharsets.UTF_8);
                    break;
                case 1:
                    kind = "valid, then maybe one hostile line";
                    content = nearlyValid(random).getBytes(StandardCharsets.UTF_8);
                    break;
                case 2:
                    kind = "mutated";
                    content = mutated(random);
                    break;
                default:
                    kind = random.nextBoolean() ? "binary" : "random text";
                    content = kind.equals("binary") ? randomBytes(random) : randomText(random).getBytes(StandardCharsets.UTF_8);
            }
            Path file = dir.resolve("case-" + i + ".properties");
            Files.write(file, content);
            check("case " + i + " (" + kind + ", seed " + SEED + ")", file, MACHINES.get(i % MACHINES.size()));
            Files.delete(file);
        }
        // The generator must really produce both outcomes, or it is not exercising the loader.
        assertThat(valid).as("valid configs among the cases").isGreaterThan(CASES / 50);
        assertThat(refused).as("refused configs among the cases").isGreaterThan(CASES / 2);
        System.out.println("config fuzz: " + CASES + " cases, seed " + SEED + ", " + valid + " valid, " + refused
                + " refused, slowest parse " + slowestMs + " ms");
    }

    @Test
    void pathologicalButPlausibleFilesAreRefusedQuickly() throws Exception {
        List<String> cases = new ArrayList<>();
        // 100,000 CPUs, as a range and as a list.
        cases.add("rule.a.thread-name = x\nrule.a.cpus = 0-99999\n");
        cases.add("rule.a.thread-name = x\nrule.a.cpus = " + numbers(0, 100_000) + "\n");
        // Every CPU position of the largest machine, many times over.
        cases.add("rule.a.thread-name = x\nrule.a.cpus = " + repeat("+0-8191,", 100_000 / 8) + "0\n");
        cases.add("rule.a.thread-name = x\nrule.a.cpus = " + repeat("all,!0-8190:3,", 50_000) + "1\n");
        // Many rules, and a rules line naming many that do not exist.
        StringBuilder manyRules = new StringBuilder("rules = ");
        for (int i = 0; i < 25_000; i++) {
            manyRules.append('q').append(i).append(',');
        }
        manyRules.append('\n');
        for (int i = 0; i < 25_000; i++) {
            manyRules.append("rule.r").append(i).append(".cpus=0\n");
        }
        cases.add(manyRules.toString());
        // Many unknown keys, each one a near miss.
        StringBuilder nearMisses = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            nearMisses.append("rule.a").append(i % 97).append(".cpu").append(i).append("=1\n");
        }
        cases.add(nearMisses.toString());
        // A key continued over a thousand lines, and a value of a million characters.
        cases.add("rule.a.thread-name = " + repeat("x\\\n", 1000) + "\nrule.a.cpus = 0\n");
        cases.add("rule.a.thread-name = " + repeat("*?", 500_000) + "\nrule.a.cpus = 0\n");
        for (int i = 0; i < cases.size(); i++) {
            Path file = dir.resolve("pathological-" + i + ".properties");
            Files.write(file, cases.get(i).getBytes(StandardCharsets.UTF_8));
            long start = System.nanoTime();
            for (CpuContext machine : MACHINES) {
                check("pathological case " + i, file, machine);
            }
            System.out.println("config fuzz: pathological case " + i + " (" + cases.get(i).length() + " characters) on "
                    + MACHINES.size() + " machines: " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        }
    }

    @Test
    void fileSystemOdditiesAreNamedProblemsNotExceptionsOrHangs() throws Exception {
        CpuContext machine = MACHINES.get(0);

        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        assertThat(check("a directory", directory, machine).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("directory"));

        assertThat(check("a missing file", dir.resolve("missing"), machine).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("no such file"));

        // Unreadable even for root: the kernel refuses reads of /proc/self/mem at offset 0.
        assertThat(check("an unreadable file", Paths.get("/proc/self/mem"), machine).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("cannot be read"));
        Path noPermission = Files.write(dir.resolve("no-permission"), DESIGN_EXAMPLE.getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(noPermission, PosixFilePermissions.fromString("---------"));
        ConfigLoader.Result noPermissionResult = check("a file without read permission", noPermission, machine);
        if (!"root".equals(System.getProperty("user.name"))) { // root reads it anyway, and that is fine
            assertThat(noPermissionResult.errors()).singleElement()
                    .satisfies(p -> assertThat(p.message()).isEqualTo("cannot be read: permission denied"));
        }

        // Neither a pipe with no writer nor an endless device may hang the JVM's start.
        Path fifo = dir.resolve("a-pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).as("mkfifo").isTrue();
        assertThat(check("a named pipe", fifo, machine).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("not a regular file"));
        assertThat(check("/dev/zero", Paths.get("/dev/zero"), machine).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("not a regular file"));
        assertThat(check("/dev/null", Paths.get("/dev/null"), machine).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("not a regular file"));

        Path loop = dir.resolve("loop");
        Files.createSymbolicLink(loop, loop);
        assertThat(check("a symlink loop", loop, machine).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("cannot be read"));

        Path tooLarge = dir.resolve("too-large");
        Files.write(tooLarge, repeat("# a comment line\n", (int) (PropertiesFile.MAX_BYTES / 17 + 1)).getBytes(StandardCharsets.UTF_8));
        assertThat(check("a file over the size limit", tooLarge, machine).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("at most " + PropertiesFile.MAX_BYTES + " bytes"));

        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThat(check("an empty file", empty, machine).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("defines no rule"));

        // A readable file that reports its size as 0, like everything in /proc, is read to its end.
        ConfigLoader.Result procFile = check("a /proc file", Paths.get("/proc/self/status"), machine);
        assertThat(procFile.errors()).isNotEmpty()
                .allSatisfy(p -> assertThat(p.line()).as("line of %s", p).isPositive());
    }

    /** Loads the file with a deadline and checks everything a hostile file must not break. */
    private ConfigLoader.Result check(String what, Path file, CpuContext machine) throws Exception {
        long start = System.nanoTime();
        Future<ConfigLoader.Result> future = parser.submit(() -> ConfigLoader.load(file, machine, ConfigLoader.Overrides.NONE));
        ConfigLoader.Result result;
        try {
            result = future.get(PARSE_BOUND_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            parser.shutdownNow(); // its thread may be stuck for good; the next case gets a new one
            parser = newParser();
            throw new AssertionError(what + ": loading " + file + " took over " + PARSE_BOUND_MS + " ms:\n" + excerpt(file));
        } catch (ExecutionException e) {
            throw new AssertionError(what + ": loading " + file + " threw " + e.getCause() + ":\n" + excerpt(file), e.getCause());
        }
        slowestMs = Math.max(slowestMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));

        List<ConfigProblem> errors = result.errors();
        if (result.ok()) {
            valid++;
            assertThat(errors).as("%s: a config came with errors", what).isEmpty();
            AgentConfig config = result.config();
            assertThat(config.rules()).as("%s: a valid config has rules", what).isNotEmpty();
            for (Rule r : config.rules()) {
                assertThat(r.cpus().isEmpty()).as("%s: rule %s has no CPU", what, r.name()).isFalse();
                assertThat(machine.allowed().containsAll(r.cpus())).as("%s: rule %s outside the machine", what, r.name()).isTrue();
                assertThat(r.threadName() != null || r.pool() != null || r.poolClass() != null)
                        .as("%s: rule %s has no selector", what, r.name()).isTrue();
                assertThat(config.rule(r.name())).isSameAs(r);
            }
        } else {
            refused++;
            assertThat(result.config()).as("%s: a refused config must not be partly applied", what).isNull();
            assertThat(errors).as("%s: a refused config says why", what).isNotEmpty();
        }
        int lines = lineCount(file);
        for (ConfigProblem p : result.problems()) {
            assertThat(p.file()).as("%s: %s names the file", what, p).isEqualTo(file);
            assertThat(p.line()).as("%s: %s has a line in the file", what, p).isBetween(0, lines);
            assertThat(p.message()).as("%s: %s has a message", what, p).isNotBlank();
            if (p.key() != null) {
                assertThat(p.key()).as("%s: %s names a key", what, p).isNotEmpty();
                assertThat(p.line()).as("%s: %s names a key, so a line too", what, p).isPositive();
            }
            // Clear words, not a leaked exception (I/O errors quote the JDK's reason, and say so).
            if (!p.message().startsWith("cannot be read")) {
                assertThat(p.message()).as("%s: %s", what, p).doesNotContain("Exception", "java.lang.", "null");
            }
            assertThat(p.toString().length()).as("%s: a problem line stays readable: %.300s", what, p).isLessThan(1000);
        }
        return result;
    }

    // ---- generators ----------------------------------------------------------------------------

    private static final String[] RULE_KEYS = {"thread-name", "pool", "pool-class", "cpus", "strategy"};
    private static final String[] NEAR_KEYS = {"cpu", "thread_name", "Pool", "cpus ", "strategie", "", ".", "cpus.x"};

    private static String generated(Random r) {
        StringBuilder sb = new StringBuilder();
        int rules = r.nextInt(5);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rules; i++) {
            names.add(ruleName(r));
        }
        if (r.nextInt(3) > 0) {
            sb.append(pick(r, "rules", "rules", "rules", "Rules", "rules ")).append(pick(r, " = ", "=", ": ", " ", "\t=\t"));
            List<String> listed = new ArrayList<>(names);
            if (r.nextInt(4) == 0) {
                listed.add(ruleName(r)); // one with no keys
            }
            if (r.nextInt(4) == 0 && !listed.isEmpty()) {
                listed.add(listed.get(0)); // listed twice
            }
            sb.append(String.join(pick(r, ", ", ",", " ", ",,", " , "), listed)).append('\n');
        }
        for (String name : names) {
            int keys = r.nextInt(5) + 1;
            for (int k = 0; k < keys; k++) {
                String key = r.nextInt(12) == 0 ? pick(r, NEAR_KEYS) : pick(r, RULE_KEYS);
                sb.append("rule.").append(name).append('.').append(key).append(pick(r, " = ", "=", ":", " "))
                        .append(valueFor(r, key)).append(lineEnd(r));
                if (r.nextInt(15) == 0) {
                    sb.append("rule.").append(name).append('.').append(key).append(" = ").append(valueFor(r, key)).append('\n');
                }
            }
            if (r.nextBoolean()) {
                sb.append("rule.").append(name).append(".cpus = ").append(cpuList(r)).append('\n');
            }
        }
        if (r.nextInt(5) == 0) {
            sb.append("on-error = ").append(pick(r, "warn", "fail", "", "ignore", "WARN")).append('\n');
        }
        if (r.nextInt(5) == 0) {
            sb.append("log = ").append(pick(r, "quiet", "info", "debug", "", "verbose")).append('\n');
        }
        if (r.nextInt(6) == 0) {
            sb.append(pick(r, "= 3\n", "rule.\n", "rule..cpus = 1\n", "rule.a.b.cpus = 1\n", "\\u12\n", "key\\\n",
                    "\uFEFFrules = a\n", "rule.\u00e9t\u00e9.cpus = 0\n", "rule.a.cpus = 0\u0000\n", "#\u202Ecomment\n",
                    "rule.a.thread-name = \\uZZZZ\n", "unknown.key = 1\n", "   \t  \n", "!comment\n"));
        }
        String text = sb.toString();
        if (r.nextInt(8) == 0) {
            text = text.replace("\n", r.nextBoolean() ? "\r\n" : "\r");
        }
        return text;
    }

    /** A valid config on any machine; half the time one of its lines is swapped for a hostile one. */
    private static String nearlyValid(Random r) {
        List<String> lines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int rules = 1 + r.nextInt(4);
        for (int i = 0; i < rules; i++) {
            String name = "r" + i + pick(r, "", "-hot", "_batch");
            names.add(name);
            switch (r.nextInt(3)) {
                case 0:
                    lines.add("rule." + name + ".thread-name = " + pick(r, "order-*", "w-??", "*", "pool-*-thread-*"));
                    break;
                case 1:
                    lines.add("rule." + name + ".pool = " + pick(r, "thread-pool", "fork-join", "common-pool", "virtual-scheduler"));
                    break;
                default:
                    lines.add("rule." + name + ".pool-class = " + pick(r, "java.util.concurrent.ThreadPoolExecutor",
                            "com.example.Order$Executor", "a.b.C"));
            }
            lines.add("rule." + name + ".cpus = " + pick(r, "all", "+0", "0", "all,!0", "+0-1", "0-8191", "0,5,64-127:2"));
            if (r.nextBoolean()) {
                lines.add("rule." + name + ".strategy = " + pick(r, "round-robin", "shared"));
            }
        }
        if (r.nextBoolean()) {
            lines.add(0, "rules = " + String.join(", ", names));
        }
        if (r.nextBoolean()) {
            String[] hostile = generated(r).split("\n");
            lines.set(r.nextInt(lines.size()), hostile[r.nextInt(hostile.length)]);
        }
        return String.join("\n", lines) + "\n";
    }

    private static String valueFor(Random r, String key) {
        switch (key) {
            case "cpus":
                return cpuList(r);
            case "thread-name":
                return pick(r, "order-*", "*", "?", "", "worker-??", "\u0437\u0430\u043a\u0430\u0437-*", "\uD83D\uDE80-*",
                        repeat("*", r.nextInt(200)), "a b c", "x\\ty");
            case "pool":
                return pick(r, "thread-pool", "fork-join", "common-pool", "virtual-scheduler", "", "threadpool", "THREAD-POOL",
                        "thread-pool,fork-join");
            case "pool-class":
                return pick(r, "java.util.concurrent.ThreadPoolExecutor", "com.example.Order$Executor", "", "1abc", "a..b",
                        ".a", "a.", "\u00e9l\u00e8ve.Pool", "a-b.C", repeat("a.", 300) + "b");
            case "strategy":
                return pick(r, "round-robin", "shared", "", "spiral", "Round-Robin", "round-robin shared");
            default:
                return r.nextBoolean() ? cpuList(r) : pick(r, "", "x", "1");
        }
    }

    private static String cpuList(Random r) {
        int terms = r.nextInt(4) + 1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < terms; i++) {
            if (i > 0) {
                sb.append(pick(r, ",", ",", ", ", ",,", ";"));
            }
            sb.append(cpuTerm(r));
        }
        return sb.toString();
    }

    private static String cpuTerm(Random r) {
        switch (r.nextInt(16)) {
            case 0:
                return pick(r, "all", "!0", "+0", "+1", "+0-1", "!all", "all", "ALL", "!", "+", "!+0");
            case 1:
                return pick(r, "99999999999999999999", "2147483648", "2147483647", "4294967296", "8191", "8192", "10000",
                        "100000", "999999999", "1000000000", "0000000000001");
            case 2:
                return "-" + r.nextInt(10); // negative
            case 3:
                return (r.nextInt(8) + 1) + "-" + r.nextInt(1); // reversed
            case 4:
                return "0-" + r.nextInt(16) + ":0"; // stride 0
            case 5:
                return "0-99999"; // 100,000 CPUs
            case 6:
                return pick(r, "\u0663", "\uFF11", "\u0661-\u0663", "\u2212" + "1", "1\u00a0", "\u200B0", "0\uFE0F"); // unicode digits
            case 7:
                return pick(r, "", " ", "-", "--", "0--1", "0-1-2", "0:2", ":", "0-1:", "0-1:x", "0-1:99999", "1e3", "0x1", "0.5");
            case 8:
                return (r.nextBoolean() ? "+" : "") + r.nextInt(9000) + "-" + (9000 + r.nextInt(200)) + ":" + (r.nextInt(5) + 1);
            default:
                int a = r.nextInt(r.nextBoolean() ? 4 : 200);
                return r.nextBoolean() ? Integer.toString(a) : a + "-" + (a + r.nextInt(8)) + (r.nextInt(4) == 0 ? ":" + (r.nextInt(3) + 1) : "");
        }
    }

    private static String ruleName(Random r) {
        return pick(r, "orders", "batch", "common", "a", "b-2", "x_y", "", "r\u00e9gle", "a b", "1", "A", repeat("n", 1 + r.nextInt(80)));
    }

    private static String lineEnd(Random r) {
        return pick(r, "\n", "\n", "\n", "   # a comment\n", "\t#x\n", "\\\n", "\\\\\n");
    }

    private static byte[] mutated(Random r) {
        byte[] base = DESIGN_EXAMPLE.getBytes(StandardCharsets.UTF_8);
        List<Byte> bytes = new ArrayList<>(base.length);
        for (byte b : base) {
            bytes.add(b);
        }
        int mutations = 1 + r.nextInt(6);
        String[] tokens = {"\n", "=", ":", "\\", "\\u", ",", "-", "!", "+", "*", "?", "#", " ", "\t", "rule.", ".cpus", "99999",
            "\u0000", "\uFFFD", "\u00e9", "\uD83D\uDE00", "0-8191", "\r"};
        for (int m = 0; m < mutations && !bytes.isEmpty(); m++) {
            int at = r.nextInt(bytes.size());
            switch (r.nextInt(5)) {
                case 0: // flip a bit
                    bytes.set(at, (byte) (bytes.get(at) ^ (1 << r.nextInt(8))));
                    break;
                case 1: // delete a run
                    for (int k = Math.min(bytes.size() - at, 1 + r.nextInt(12)); k > 0; k--) {
                        bytes.remove(at);
                    }
                    break;
                case 2: // duplicate a line-sized run
                    int len = Math.min(bytes.size() - at, 1 + r.nextInt(40));
                    bytes.addAll(at, new ArrayList<>(bytes.subList(at, at + len)));
                    break;
                default: // insert an interesting token
                    byte[] token = pick(r, tokens).getBytes(StandardCharsets.UTF_8);
                    for (int k = token.length - 1; k >= 0; k--) {
                        bytes.add(at, token[k]);
                    }
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(2048)];
        r.nextBytes(b);
        return b;
    }

    private static String randomText(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(600);
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            if (kind < 5) {
                String alphabet = "rule.abc-=:\\ \t\n,0123456789!+*?#";
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            } else if (kind < 9) {
                sb.appendCodePoint(r.nextInt(0x3000));
            } else {
                int cp = r.nextInt(Character.MAX_CODE_POINT + 1);
                if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                    sb.appendCodePoint(cp);
                }
            }
        }
        return sb.toString();
    }

    // ---- helpers -------------------------------------------------------------------------------

    @SafeVarargs
    private static <T> T pick(Random r, T... options) {
        return options[r.nextInt(options.length)];
    }

    private static String repeat(String s, int n) {
        return s.repeat(Math.max(0, n));
    }

    private static String numbers(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(i > from ? "," : "").append(i);
        }
        return sb.toString();
    }

    /** Lines as the loader counts them; 0 for what is not a readable UTF-8 regular file. */
    private static int lineCount(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > PropertiesFile.MAX_BYTES) {
                return 0;
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            return text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1).length;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String excerpt(Path file) {
        if (!Files.isRegularFile(file)) {
            return "(not a regular file)";
        }
        try {
            byte[] b = Files.readAllBytes(file);
            String s = new String(b, 0, Math.min(b.length, 600), StandardCharsets.UTF_8);
            return s + (b.length > 600 ? "\n... (" + b.length + " bytes)" : "");
        } catch (IOException | RuntimeException e) {
            return "(" + e + ")";
        }
    }
}
