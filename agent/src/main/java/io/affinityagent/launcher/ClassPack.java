package io.affinityagent.launcher;

import java.io.IOException;
import java.io.InputStream;
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
 * the start more than reading the class.
 */
public final class ClassPack {

    /** The pack's entry in the agent jar. */
    public static final String ENTRY = "inst/classes.pack";
    static final int MAGIC = 0x4141504B; // "AAPK"
    static final int HEADER_BYTES = 16;
    static final int INDEX_ENTRY_BYTES = 16;

    private final JarFile jar;
    private final JarEntry entry;
    /** The per-class table, the hash table, then the names. */
    private final byte[] index;
    private final int count;
    private final int slots;
    private final int namesStart;

    private ClassPack(JarFile jar, JarEntry entry, byte[] index, int count, int slots) {
        this.jar = jar;
        this.entry = entry;
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
            return new ClassPack(jar, entry, index, count, slots);
        }
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
