package io.affinityagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertiesFileTest {

    private static final Path FILE = Paths.get("/etc/affinity.properties");

    @TempDir
    Path dir;

    private final List<ConfigProblem> problems = new ArrayList<>();

    private PropertiesFile parse(String... lines) {
        return PropertiesFile.parse(FILE, String.join("\n", lines), problems);
    }

    private static String value(PropertiesFile p, String key) {
        PropertiesFile.Entry e = p.get(key);
        assertThat(e).as("entry %s", key).isNotNull();
        return e.value();
    }

    private static int line(PropertiesFile p, String key) {
        PropertiesFile.Entry e = p.get(key);
        assertThat(e).as("entry %s", key).isNotNull();
        return e.line();
    }

    @Test
    void keysKeepTheLineTheyStartOnAfterBlankCommentAndContinuationLines() {
        PropertiesFile p = parse(
                "# a comment",                 // 1
                "",                            // 2
                "first = 1",                   // 3
                "   ",                         // 4
                "! another comment",           // 5
                "long = a, \\",                // 6
                "       b, \\",                // 7
                "       c",                    // 8
                "after = 2",                   // 9
                "\t  # indented comment",      // 10
                "last = 3");                   // 11

        assertThat(problems).isEmpty();
        assertThat(line(p, "first")).isEqualTo(3);
        assertThat(line(p, "long")).isEqualTo(6);
        assertThat(value(p, "long")).isEqualTo("a, b, c");
        assertThat(line(p, "after")).isEqualTo(9);
        assertThat(line(p, "last")).isEqualTo(11);
        assertThat(p.entries()).extracting(PropertiesFile.Entry::key).containsExactly("first", "long", "after", "last");
        assertThat(p.file()).isEqualTo(FILE);
    }

    @Test
    void windowsAndOldMacLineEndingsCountLinesToo() {
        PropertiesFile p = PropertiesFile.parse(FILE, "a = 1\r\n\r\nb = 2\rc = 3\r\n", problems);

        assertThat(problems).isEmpty();
        assertThat(line(p, "a")).isEqualTo(1);
        assertThat(line(p, "b")).isEqualTo(3);
        assertThat(line(p, "c")).isEqualTo(4);
        assertThat(value(p, "b")).isEqualTo("2");
    }

    @Test
    void hashAndBangStartComments() {
        PropertiesFile p = parse("#key = 1", "!key = 2", "  # key = 3", "key = 4");

        assertThat(problems).isEmpty();
        assertThat(p.entries()).hasSize(1);
        assertThat(value(p, "key")).isEqualTo("4");
    }

    @Test
    void commentLineEndingInBackslashDoesNotSwallowTheNextLine() {
        PropertiesFile p = parse("# a comment \\", "key = 1");

        assertThat(value(p, "key")).isEqualTo("1");
        assertThat(line(p, "key")).isEqualTo(2);
    }

    @Test
    void trailingCommentAfterWhitespaceIsDropped() {
        PropertiesFile p = parse(
                "rules = orders, batch, common          # tried in this order",
                "cpus = 2-3\t# the hot cores",
                "empty = # nothing",
                "glued = a#b",
                "fragment=#not-a-comment");

        assertThat(problems).isEmpty();
        assertThat(value(p, "rules")).isEqualTo("orders, batch, common");
        assertThat(value(p, "cpus")).isEqualTo("2-3");
        assertThat(value(p, "empty")).isEmpty();
        assertThat(value(p, "glued")).isEqualTo("a#b");
        assertThat(value(p, "fragment")).isEqualTo("#not-a-comment");
    }

    @Test
    void equalsColonAndWhitespaceSeparateKeyFromValue() {
        PropertiesFile p = parse(
                "a=1",
                "b = 2",
                "c:3",
                "d : 4",
                "e 5",
                "f\t6",
                "g = = 7",
                "h   =   spaced value  ");

        assertThat(problems).isEmpty();
        assertThat(value(p, "a")).isEqualTo("1");
        assertThat(value(p, "b")).isEqualTo("2");
        assertThat(value(p, "c")).isEqualTo("3");
        assertThat(value(p, "d")).isEqualTo("4");
        assertThat(value(p, "e")).isEqualTo("5");
        assertThat(value(p, "f")).isEqualTo("6");
        assertThat(value(p, "g")).isEqualTo("= 7");
        assertThat(value(p, "h")).isEqualTo("spaced value");
    }

    @Test
    void backslashContinuationJoinsLinesAndDropsLeadingWhitespace() {
        PropertiesFile p = parse("k = one\\", "    two\\", "\tthree", "next = x");

        assertThat(value(p, "k")).isEqualTo("onetwothree");
        assertThat(line(p, "next")).isEqualTo(4);
    }

    @Test
    void evenNumberOfTrailingBackslashesIsAnEscapedBackslashNotAContinuation() {
        PropertiesFile p = parse("path = C:\\\\dir\\\\", "other = 1");

        assertThat(problems).isEmpty();
        assertThat(value(p, "path")).isEqualTo("C:\\dir\\");
        assertThat(line(p, "other")).isEqualTo(2);
    }

    @Test
    void escapesInKeysAndValues() {
        PropertiesFile p = parse(
                "tab = a\\tb",
                "unicode = \\u00e9t\\u00C9",
                "newline = 1\\n2",
                "my\\ key = spaced key",
                "colon\\:key = c",
                "hash = \\#not-a-comment",
                "bad-unicode = \\uZZZZ");

        assertThat(problems).isEmpty();
        assertThat(value(p, "tab")).isEqualTo("a\tb");
        assertThat(value(p, "unicode")).isEqualTo("\u00e9t\u00c9");
        assertThat(value(p, "newline")).isEqualTo("1\n2");
        assertThat(value(p, "my key")).isEqualTo("spaced key");
        assertThat(value(p, "colon:key")).isEqualTo("c");
        assertThat(value(p, "hash")).isEqualTo("#not-a-comment");
        assertThat(value(p, "bad-unicode")).isEqualTo("uZZZZ");
    }

    @Test
    void agreesWithJavaUtilPropertiesOnPlainFiles() throws IOException {
        String text = String.join("\n",
                "# comment", "a=1", "b : two words", "c three", "d = x\\", "   y", "e\\ f = \\u0041\\tB", "g", "h =");
        Properties expected = new Properties();
        expected.load(new StringReader(text));

        PropertiesFile p = PropertiesFile.parse(FILE, text, problems);

        assertThat(problems).isEmpty();
        assertThat(p.entries()).hasSize(expected.size());
        for (PropertiesFile.Entry e : p.entries()) {
            assertThat(e.value()).as(e.key()).isEqualTo(expected.getProperty(e.key()));
        }
    }

    @Test
    void keyWithNoValueHasAnEmptyValue() {
        PropertiesFile p = parse("alone", "with-equals =", "with-colon:");

        assertThat(problems).isEmpty();
        assertThat(value(p, "alone")).isEmpty();
        assertThat(value(p, "with-equals")).isEmpty();
        assertThat(value(p, "with-colon")).isEmpty();
    }

    @Test
    void valueWithoutKeyIsAnErrorOnItsLine() {
        PropertiesFile p = parse("ok = 1", "= orphan");

        assertThat(p.entries()).hasSize(1);
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.isError()).isTrue();
            assertThat(problem.line()).isEqualTo(2);
            assertThat(problem.message()).contains("no key");
        });
    }

    @Test
    void duplicatedKeyIsAnErrorNamingBothLinesAndTheFirstValueIsKept() {
        PropertiesFile p = parse("rule.a.cpus = 1", "# between", "other = x", "rule.a.cpus = 2");

        assertThat(value(p, "rule.a.cpus")).isEqualTo("1");
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.isError()).isTrue();
            assertThat(problem.file()).isEqualTo(FILE);
            assertThat(problem.line()).isEqualTo(4);
            assertThat(problem.key()).isEqualTo("rule.a.cpus");
            assertThat(problem.message()).contains("twice").contains("line 1");
            assertThat(problem.toString()).startsWith("/etc/affinity.properties:4: rule.a.cpus: ");
        });
    }

    @Test
    void readsAUtf8File() throws IOException {
        Path file = dir.resolve("ok.properties");
        Files.write(file, "name = caf\u00e9 \u2615\nn = 2\n".getBytes(StandardCharsets.UTF_8));

        PropertiesFile p = PropertiesFile.read(file, problems);

        assertThat(problems).isEmpty();
        assertThat(p.file()).isEqualTo(file);
        assertThat(value(p, "name")).isEqualTo("caf\u00e9 \u2615");
        assertThat(line(p, "n")).isEqualTo(2);
    }

    @Test
    void missingFileIsAnErrorOnLineZero() {
        Path file = dir.resolve("nope.properties");

        assertThat(PropertiesFile.read(file, problems)).isNull();
        assertFileError(file, "no such file");
    }

    @Test
    void directoryInsteadOfAFileIsAnError() {
        assertThat(PropertiesFile.read(dir, problems)).isNull();
        assertFileError(dir, "is a directory");
    }

    @Test
    void unreadableFileIsAnErrorUnlessThisProcessMayReadAnything() throws IOException {
        Path file = dir.resolve("secret.properties");
        Files.write(file, "key = value\n".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));

        // Root (more exactly: CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH) reads files whatever their
        // mode. Find out which case this is from the kernel and check the behaviour for that case.
        boolean mayOverridePermissions = hasCapability(1 /* CAP_DAC_OVERRIDE */)
                || hasCapability(2 /* CAP_DAC_READ_SEARCH */);
        assertThat(kernelLetsUsOpen(file)).as("open(2) on a mode-000 file").isEqualTo(mayOverridePermissions);

        PropertiesFile p = PropertiesFile.read(file, problems);

        if (mayOverridePermissions) {
            assertThat(problems).isEmpty();
            assertThat(value(p, "key")).isEqualTo("value");
        } else {
            assertThat(p).isNull();
            assertFileError(file, "permission denied");
        }
    }

    @Test
    void invalidUtf8IsAnError() throws IOException {
        Path file = dir.resolve("latin1.properties");
        Files.write(file, "name = caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThat(PropertiesFile.read(file, problems)).isNull();
        assertFileError(file, "not valid UTF-8");
    }

    @Test
    void fileOverOneMebibyteIsAnError() throws IOException {
        Path file = dir.resolve("huge.properties");
        byte[] bytes = new byte[(1 << 20) + 1];
        Arrays.fill(bytes, (byte) '#');
        Files.write(file, bytes);

        assertThat(PropertiesFile.read(file, problems)).isNull();
        assertFileError(file, "1048577 bytes");
        assertThat(problems.get(0).message()).contains("at most 1048576");
    }

    @Test
    void fileOfExactlyOneMebibyteIsRead() throws IOException {
        Path file = dir.resolve("big.properties");
        byte[] bytes = new byte[1 << 20];
        Arrays.fill(bytes, (byte) '#');
        byte[] entry = "\nk = v\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(entry, 0, bytes, bytes.length - entry.length, entry.length);
        Files.write(file, bytes);

        PropertiesFile p = PropertiesFile.read(file, problems);

        assertThat(problems).isEmpty();
        assertThat(value(p, "k")).isEqualTo("v");
        assertThat(line(p, "k")).isEqualTo(2);
    }

    private void assertFileError(Path file, String words) {
        assertThat(problems).singleElement().satisfies(problem -> {
            assertThat(problem.isError()).isTrue();
            assertThat(problem.file()).isEqualTo(file);
            assertThat(problem.line()).isZero();
            assertThat(problem.key()).isNull();
            assertThat(problem.message()).contains(words);
            assertThat(problem.toString()).isEqualTo(file + ": " + problem.message());
        });
    }

    private static boolean kernelLetsUsOpen(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the effective capability set (CapEff in /proc/self/status) has capability {@code bit}. */
    private static boolean hasCapability(int bit) throws IOException {
        for (String l : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (l.startsWith("CapEff:")) {
                long caps = Long.parseUnsignedLong(l.substring("CapEff:".length()).trim(), 16);
                return (caps & (1L << bit)) != 0;
            }
        }
        throw new IOException("/proc/self/status has no CapEff line");
    }
}
