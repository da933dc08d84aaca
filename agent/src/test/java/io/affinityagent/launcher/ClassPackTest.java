package io.affinityagent.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent jar's class pack, written as the build writes it and read as the agent's loader reads it. */
class ClassPackTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Path jarWith(Map<String, byte[]> classes, boolean stored) throws IOException {
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        ClassPackWriter.write(classes, pack);
        return jarWith(pack.toByteArray(), stored);
    }

    private Path jarWith(byte[] data, boolean stored) throws IOException {
        return jarWith(data, stored, null);
    }

    private Path jarWith(byte[] data, boolean stored, String comment) throws IOException {
        Path jar = dir.resolve(stored ? "stored.jar" : "deflated.jar");
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.setComment(comment);
            zip.putNextEntry(new ZipEntry("inst/other.txt"));
            zip.write(bytes("before the pack"));
            ZipEntry entry = new ZipEntry(ClassPack.ENTRY);
            if (stored) {
                CRC32 crc = new CRC32();
                crc.update(data);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(data.length);
                entry.setCrc(crc.getValue());
            }
            zip.putNextEntry(entry);
            zip.write(data);
        }
        return jar;
    }

    @Test
    void everyClassReadsBackByItsNameAndNoOtherIsFound() throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) { // enough for collisions in the hash table
            classes.put("io/affinityagent/p" + (i % 7) + "/C" + i + (i % 3 == 0 ? "$Inner" : ""), bytes("class file " + i));
        }
        classes.put("a/Ünïcode", bytes("not ASCII"));
        classes.put("z/Empty", new byte[0]);
        try (JarFile jar = new JarFile(jarWith(classes, true).toFile()); ClassPack pack = ClassPack.in(jar)) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                assertThat(pack.contains(c.getKey())).as(c.getKey()).isTrue();
                assertThat(pack.read(c.getKey())).as(c.getKey()).isEqualTo(c.getValue());
            }
            assertThat(pack.read("io/affinityagent/p0/Missing")).isNull();
            assertThat(pack.contains("io/affinityagent/p0/C0")).as("C0 is C0$Inner").isFalse();
            assertThat(pack.contains("z/Empt")).isFalse();
            assertThat(pack.names()).containsExactlyInAnyOrderElementsOf(classes.keySet()).isSorted();
        }
    }

    @Test
    void anEmptyPackHasNoClass() throws IOException {
        try (JarFile jar = new JarFile(jarWith(Map.of(), true).toFile()); ClassPack pack = ClassPack.in(jar)) {
            assertThat(pack.contains("a/B")).isFalse();
            assertThat(pack.names()).isEmpty();
        }
    }

    @Test
    void aJarWithoutAPackHasNone() throws IOException {
        Path jar = dir.resolve("plain.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("a/B.class"));
        }
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(ClassPack.in(j)).isNull();
        }
    }

    @Test
    void aPackWhoseHashTableHasNoFreeSlotIsRefused() throws IOException {
        // Two classes in a table of two slots: a look-up of a class not there would find no end.
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(ClassPack.HEADER_BYTES + 2 * ClassPack.INDEX_ENTRY_BYTES + 2 * 4 + 2);
        header.putInt(ClassPack.MAGIC).putInt(2).putInt(2).putInt(2);
        try (JarFile jar = new JarFile(jarWith(header.array(), true).toFile())) {
            assertThatThrownBy(() -> ClassPack.in(jar)).isInstanceOf(IOException.class).hasMessageContaining("not a class pack");
        }
    }

    @Test
    void aDeflatedPackIsRefusedWithWhy() throws IOException {
        try (JarFile jar = new JarFile(jarWith(Map.of("a/B", bytes("b")), false).toFile())) {
            assertThatThrownBy(() -> ClassPack.in(jar)).isInstanceOf(IOException.class).hasMessageContaining("must be stored");
        }
    }

    @Test
    void thePackIsFoundInTheJarFileThroughTheZipDirectory() throws IOException {
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        ClassPackWriter.write(Map.of("a/B", bytes("b")), pack);
        byte[] header = java.util.Arrays.copyOf(pack.toByteArray(), ClassPack.HEADER_BYTES);
        Path jar = jarWith(pack.toByteArray(), true);
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(jar.toFile(), "r")) {
            long at = ClassPack.storedDataOffset(file, header);
            assertThat(at).isPositive();
            byte[] found = new byte[ClassPack.HEADER_BYTES];
            file.seek(at);
            file.readFully(found);
            assertThat(found).isEqualTo(header);
            // A header that is not the one there (another pack, a stale index) finds nothing.
            header[ClassPack.HEADER_BYTES - 1]++;
            assertThat(ClassPack.storedDataOffset(file, header)).isEqualTo(-1);
        }
    }

    @Test
    void aClassIsReadFromTheJarFileItselfNotThroughTheJarsStream() throws IOException {
        JarFile jar = new JarFile(jarWith(Map.of("a/B", bytes("b")), true).toFile());
        try (ClassPack pack = ClassPack.in(jar)) {
            jar.close(); // a stream of the jar could not be opened now; the pack's own read of the file can
            assertThat(pack.read("a/B")).isEqualTo(bytes("b"));
        }
    }

    @Test
    void aJarWithAZipCommentIsReadThroughItsOwnStream() throws IOException {
        Map<String, byte[]> classes = Map.of("a/B", bytes("b"), "c/D", bytes("d"));
        ByteArrayOutputStream pack = new ByteArrayOutputStream();
        ClassPackWriter.write(classes, pack);
        Path jar = jarWith(pack.toByteArray(), true, "a comment after the end record");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(jar.toFile(), "r")) {
            assertThat(ClassPack.storedDataOffset(file, java.util.Arrays.copyOf(pack.toByteArray(), ClassPack.HEADER_BYTES)))
                    .isEqualTo(-1);
        }
        try (JarFile j = new JarFile(jar.toFile()); ClassPack p = ClassPack.in(j)) {
            assertThat(p.read("a/B")).isEqualTo(bytes("b"));
            assertThat(p.read("c/D")).isEqualTo(bytes("d"));
        }
    }

    @Test
    void anIndexThatPointsPastThePackIsRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ClassPackWriter.write(Map.of("a/B", bytes("bb")), out);
        byte[] pack = out.toByteArray();
        // The one class's length (its index entry's third int) made longer than the pack.
        java.nio.ByteBuffer.wrap(pack).putInt(ClassPack.HEADER_BYTES + 8, pack.length);
        try (JarFile jar = new JarFile(jarWith(pack, true).toFile()); ClassPack p = ClassPack.in(jar)) {
            assertThatThrownBy(() -> p.read("a/B")).isInstanceOf(IOException.class).hasMessageContaining("shorter than its index");
        }
    }
}
