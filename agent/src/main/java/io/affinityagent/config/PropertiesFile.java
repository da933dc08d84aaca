package io.affinityagent.config;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Java-properties-style file keeping the line of every key, which
 * {@link java.util.Properties} throws away. The file is UTF-8. Beyond the properties format it
 * allows a trailing comment after whitespace ({@code cpus = 2-3   # the hot cores}) and
 * rejects a key given twice, so a typo never silently overrides an earlier line.
 */
public final class PropertiesFile {

    /** Largest config file we read; a larger one is a mistake (a log, a binary). */
    static final long MAX_BYTES = 1 << 20;

    /** One {@code key = value} with the line it starts on. */
    public static final class Entry {
        private final String key;
        private final String value;
        private final int line;

        Entry(String key, String value, int line) {
            this.key = key;
            this.value = value;
            this.line = line;
        }

        public String key() {
            return key;
        }

        public String value() {
            return value;
        }

        public int line() {
            return line;
        }
    }

    private final Path file;
    private final Map<String, Entry> entries;

    private PropertiesFile(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    public Path file() {
        return file;
    }

    /** The entries in file order. */
    public List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    public Entry get(String key) {
        return entries.get(key);
    }

    /**
     * Reads and splits the file. Problems that make the file unusable (missing, unreadable,
     * not UTF-8) are errors with line 0; a duplicated key is an error on its second line.
     */
    public static PropertiesFile read(Path file, List<ConfigProblem> problems) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                problems.add(ConfigProblem.error(file, 0, null, "is a directory; expected a properties file"));
                return null;
            }
            // A pipe would block the JVM's start until someone writes to it, and a device such as
            // /dev/zero never ends: only a regular file is read.
            if (!Files.readAttributes(file, BasicFileAttributes.class).isRegularFile()) {
                problems.add(ConfigProblem.error(file, 0, null, "is not a regular file (a pipe, a device or a socket);"
                        + " expected a properties file"));
                return null;
            }
            long size = Files.size(file);
            if (!Files.isReadable(file)) {
                problems.add(ConfigProblem.error(file, 0, null, "cannot be read: permission denied"));
                return null;
            }
            byte[] bytes = null;
            if (size <= MAX_BYTES) {
                // Read at most one byte past the limit: files in /proc say they are empty, and are not.
                // java.io, not Files.newInputStream: no file channel classes loaded at the JVM's start.
                try (InputStream in = new FileInputStream(file.toFile())) {
                    bytes = in.readNBytes((int) MAX_BYTES + 1);
                }
                size = Math.max(size, bytes.length);
            }
            if (size > MAX_BYTES) {
                problems.add(ConfigProblem.error(file, 0, null, "is " + (bytes == null ? size + " bytes" : "over "
                        + MAX_BYTES + " bytes") + "; a config file is at most " + MAX_BYTES + " bytes"));
                return null;
            }
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (NoSuchFileException e) {
            problems.add(ConfigProblem.error(file, 0, null, "no such file"));
            return null;
        } catch (AccessDeniedException e) {
            problems.add(ConfigProblem.error(file, 0, null, "cannot be read: permission denied"));
            return null;
        } catch (CharacterCodingException e) {
            problems.add(ConfigProblem.error(file, 0, null, "is not valid UTF-8 text"));
            return null;
        } catch (IOException | RuntimeException e) {
            problems.add(ConfigProblem.error(file, 0, null, "cannot be read: " + e));
            return null;
        }
        return parse(file, text, problems);
    }

    /** Splits already-read text; {@code file} is only used to locate problems. */
    public static PropertiesFile parse(Path file, String text, List<ConfigProblem> problems) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            int startLine = i + 1;
            StringBuilder logical = new StringBuilder();
            String line = stripLeading(lines[i++]);
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
                continue;
            }
            // A line ending in an odd number of backslashes continues on the next one.
            while (true) {
                int backslashes = 0;
                for (int k = line.length() - 1; k >= 0 && line.charAt(k) == '\\'; k--) {
                    backslashes++;
                }
                if (backslashes % 2 == 1 && i < lines.length) {
                    logical.append(line, 0, line.length() - 1);
                    line = stripLeading(lines[i++]);
                } else {
                    logical.append(line);
                    break;
                }
            }
            Entry entry = splitEntry(file, logical.toString(), startLine, problems);
            if (entry == null) {
                continue;
            }
            Entry earlier = entries.get(entry.key);
            if (earlier != null) {
                problems.add(ConfigProblem.error(file, startLine, entry.key,
                        "is given twice (first on line " + earlier.line + "); keep one"));
                continue;
            }
            entries.put(entry.key, entry);
        }
        return new PropertiesFile(file, entries);
    }

    private static Entry splitEntry(Path file, String line, int lineNo, List<ConfigProblem> problems) {
        StringBuilder key = new StringBuilder();
        int i = 0;
        int n = line.length();
        for (; i < n; i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < n) {
                i = unescape(line, i, key);
                continue;
            }
            if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            }
            key.append(c);
        }
        // Skip whitespace, at most one separator, then whitespace again.
        while (i < n && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        if (i < n && (line.charAt(i) == '=' || line.charAt(i) == ':')) {
            i++;
        }
        while (i < n && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        StringBuilder value = new StringBuilder();
        for (; i < n; i++) {
            char c = line.charAt(i);
            if (c == '#' && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
                break; // trailing comment
            }
            if (c == '\\' && i + 1 < n) {
                i = unescape(line, i, value);
                continue;
            }
            value.append(c);
        }
        if (key.length() == 0) {
            problems.add(ConfigProblem.error(file, lineNo, null, "has a value but no key"));
            return null;
        }
        return new Entry(key.toString(), value.toString().trim(), lineNo);
    }

    /** Appends the escaped character at {@code line[i+1]}; returns the index of its last char. */
    private static int unescape(String line, int i, StringBuilder out) {
        char c = line.charAt(i + 1);
        switch (c) {
            case 't':
                out.append('\t');
                return i + 1;
            case 'n':
                out.append('\n');
                return i + 1;
            case 'r':
                out.append('\r');
                return i + 1;
            case 'f':
                out.append('\f');
                return i + 1;
            case 'u':
                if (i + 5 < line.length()) {
                    String hex = line.substring(i + 2, i + 6);
                    if (Character.digit(hex.charAt(0), 16) >= 0 && Character.digit(hex.charAt(1), 16) >= 0
                            && Character.digit(hex.charAt(2), 16) >= 0 && Character.digit(hex.charAt(3), 16) >= 0) {
                        out.append((char) Integer.parseInt(hex, 16));
                        return i + 5;
                    }
                }
                out.append('u');
                return i + 1;
            default:
                out.append(c);
                return i + 1;
        }
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }
}
