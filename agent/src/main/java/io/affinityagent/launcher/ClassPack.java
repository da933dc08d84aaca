package io.affinityagent.launcher;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The agent's class files, all in one stored jar entry ({@value #ENTRY}) behind a hash index,
 * rather than a jar entry each. The JVM reads the whole central directory of a {@code -javaagent}
 * jar before premain, entry by entry and interpreted, so every entry costs the application's
 * start; the index here is read in one piece and searched in place.
 *
 * <p>Layout, big-endian: the magic {@code AAPK}; the number of classes, the number of slots of
 * the hash table (a power of two) and the length of the names (three ints); per class, in the
 * order of their names: where its name starts among the names, where its class file starts in
 * the pack, its length, and its name's {@link String#hashCode} (four ints); the hash table, one
 * int per slot, a class's number plus one or 0 for none, placed by the name's hash and linear
 * probing; the names ({@code a/b/C} for class {@code a.b.C}, UTF-8, one after another); the class
 * files. {@link ClassPackWriter} writes it at build time. A look-up hashes the name it is given
 * and compares a name or two: a binary search's dozen comparisons, interpreted at start-up, cost
 * the start more than reading the class. A class file is then read with one seek and one read of
 * the jar file, at the entry's place in it ({@link #storedDataOffset}).
 */
public final class ClassPack implements Closeable {

    /** The pack's entry in the agent jar. */
    public static final String ENTRY = "inst/classes.pack";
    static final int MAGIC = 0x4141504B; // "AAPK"
    static final int HEADER_BYTES = 16;
    static final int INDEX_ENTRY_BYTES = 16;
    /** The zip records read to find the pack in the jar file (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16). */
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int END_BYTES = 22;
    private static final int DIRECTORY_SIGNATURE = 0x02014b50;
    private static final int DIRECTORY_ENTRY_BYTES = 46;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int LOCAL_HEADER_BYTES = 30;

    private final JarFile jar;
    private final JarEntry entry;
    /** The jar file, read at {@link #dataStart} directly; null where only the jar's stream can read the pack. */
    private final RandomAccessFile file;
    private final long dataStart;
    /** The per-class table, the hash table, then the names. */
    private final byte[] index;
    private final int count;
    private final int slots;
    private final int namesStart;

    private ClassPack(JarFile jar, JarEntry entry, byte[] index, int count, int slots, RandomAccessFile file,
                      long dataStart) {
        this.jar = jar;
        this.entry = entry;
        this.file = file;
        this.dataStart = dataStart;
        this.index = index;
        this.count = count;
        this.slots = slots;
        this.namesStart = count * INDEX_ENTRY_BYTES + slots * 4;
    }

    /** The pack in {@code jar}, or null when the jar has none. */
    public static ClassPack in(JarFile jar) throws IOException {
        JarEntry entry = jar.getJarEntry(ENTRY);
        if (entry == null) {
            return null;
        }
        if (entry.getMethod() != ZipEntry.STORED) {
            // A class is read by skipping to it, which only a stored entry does without inflating all before it.
            throw new IOException(ENTRY + " in " + jar.getName() + " is compressed; it must be stored");
        }
        try (InputStream in = jar.getInputStream(entry)) {
            byte[] header = in.readNBytes(HEADER_BYTES);
            if (header.length != HEADER_BYTES || intAt(header, 0) != MAGIC) {
                throw new IOException(ENTRY + " in " + jar.getName() + " is not a class pack");
            }
            int count = intAt(header, 4);
            int slots = intAt(header, 8);
            int namesLength = intAt(header, 12);
            long indexLength = (long) count * INDEX_ENTRY_BYTES + slots * 4L + namesLength;
            // A power of two with a free slot, where a look-up of a class not there stops; none for no class.
            boolean table = slots == 0 ? count == 0 : slots > count && Integer.bitCount(slots) == 1;
            if (count < 0 || !table || namesLength < 0 || indexLength > Integer.MAX_VALUE) {
                throw new IOException(ENTRY + " in " + jar.getName() + " is not a class pack");
            }
            byte[] index = in.readNBytes((int) indexLength);
            if (index.length != indexLength) {
                throw new IOException(ENTRY + " in " + jar.getName() + " is cut short");
            }
            RandomAccessFile file = null;
            long dataStart = -1;
            try {
                file = new RandomAccessFile(jar.getName(), "r");
                dataStart = storedDataOffset(file, header);
            } catch (IOException | RuntimeException e) {
                // read through the jar's stream, which checks the jar itself
            }
            if (dataStart < 0 && file != null) {
                file.close();
                file = null;
            }
            return new ClassPack(jar, entry, index, count, slots, file, dataStart);
        }
    }

    /** Lets the jar file go (the jar itself is its opener's to close). */
    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }

    /**
     * Where the pack's bytes start in the jar file, found through the zip's central directory and
     * checked against the pack's {@code header}; -1 where this plain reading cannot tell (a zip
     * comment, zip64, another layout), and the jar's own stream reads the pack instead.
     */
    static long storedDataOffset(RandomAccessFile file, byte[] header) throws IOException {
        long size = file.length();
        if (size < END_BYTES) {
            return -1;
        }
        byte[] end = readAt(file, size - END_BYTES, END_BYTES);
        long directorySize = le32(end, 12);
        long directoryStart = le32(end, 16);
        if (le32(end, 0) != END_SIGNATURE || directoryStart + directorySize > size - END_BYTES
                || directorySize > Integer.MAX_VALUE) {
            return -1; // a comment after the end record, or zip64 (its offsets read 0xFFFFFFFF)
        }
        byte[] directory = readAt(file, directoryStart, (int) directorySize);
        byte[] name = ENTRY.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + DIRECTORY_ENTRY_BYTES <= directory.length && le32(directory, at) == DIRECTORY_SIGNATURE; ) {
            int nameLength = le16(directory, at + 28);
            int next = at + DIRECTORY_ENTRY_BYTES + nameLength + le16(directory, at + 30) + le16(directory, at + 32);
            if (nameLength == name.length && next <= directory.length
                    && Arrays.equals(directory, at + DIRECTORY_ENTRY_BYTES, at + DIRECTORY_ENTRY_BYTES + nameLength, name, 0, name.length)) {
                long local = le32(directory, at + 42);
                byte[] localHeader = readAt(file, local, LOCAL_HEADER_BYTES);
                if (le32(localHeader, 0) != LOCAL_SIGNATURE) {
                    return -1;
                }
                long data = local + LOCAL_HEADER_BYTES + le16(localHeader, 26) + le16(localHeader, 28);
                return data + header.length <= size && Arrays.equals(readAt(file, data, header.length), header) ? data : -1;
            }
            at = next;
        }
        return -1;
    }

    private static byte[] readAt(RandomAccessFile file, long at, int length) throws IOException {
        byte[] bytes = new byte[length];
        file.seek(at);
        file.readFully(bytes);
        return bytes;
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    /** Whether the pack holds the class {@code path} ({@code a/b/C}). */
    public boolean contains(String path) {
        return find(path) >= 0;
    }

    /** The class file of the class {@code path} ({@code a/b/C}), or null when the pack has none. */
    public byte[] read(String path) throws IOException {
        int i = find(path);
        return i < 0 ? null : classFile(i);
    }

    /** The classes in the pack, as {@code a/b/C}, in the pack's order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(new String(index, nameStart(i), nameEnd(i) - nameStart(i), StandardCharsets.UTF_8));
        }
        return names;
    }

    private byte[] classFile(int i) throws IOException {
        long offset = intAt(index, i * INDEX_ENTRY_BYTES + 4) & 0xFFFF_FFFFL;
        int length = intAt(index, i * INDEX_ENTRY_BYTES + 8);
        if (file != null) {
            if (offset + length > entry.getSize()) {
                throw new IOException(ENTRY + " is shorter than its index says");
            }
            // One seek and one read, where a stream of the jar's would read the entry's local header
            // again and skip to the class each time (measured in benchmarks/RESULTS.md).
            synchronized (file) {
                return readAt(file, dataStart + offset, length);
            }
        }
        try (InputStream in = jar.getInputStream(entry)) {
            long left = offset;
            while (left > 0) {
                long skipped = in.skip(left); // a stored entry's stream moves its position, nothing more
                if (skipped <= 0) {
                    throw new IOException(ENTRY + " is shorter than its index says");
                }
                left -= skipped;
            }
            byte[] bytes = new byte[length];
            if (in.readNBytes(bytes, 0, length) != length) {
                throw new IOException(ENTRY + " is shorter than its index says");
            }
            return bytes;
        }
    }

    private int find(String path) {
        if (slots == 0) {
            return -1;
        }
        int hash = path.hashCode();
        byte[] name = null;
        int slot = spread(hash) & (slots - 1);
        for (int probe = 0; probe < slots; probe++, slot = (slot + 1) & (slots - 1)) {
            int i = intAt(index, count * INDEX_ENTRY_BYTES + slot * 4) - 1;
            if (i < 0) {
                return -1;
            }
            if (intAt(index, i * INDEX_ENTRY_BYTES + 12) == hash) {
                if (name == null) {
                    name = path.getBytes(StandardCharsets.UTF_8);
                }
                if (Arrays.equals(index, nameStart(i), nameEnd(i), name, 0, name.length)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The slot a hash starts from: its high bits folded in, as class names share long prefixes. */
    static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    private int nameStart(int i) {
        return namesStart + intAt(index, i * INDEX_ENTRY_BYTES);
    }

    private int nameEnd(int i) {
        return i + 1 < count ? nameStart(i + 1) : index.length;
    }

    static int intAt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
