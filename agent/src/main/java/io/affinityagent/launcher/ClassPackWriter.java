package io.affinityagent.launcher;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a {@link ClassPack} at build time (agent/pom.xml); not part of the agent jar.
 *
 * <p>{@code ClassPackWriter OUT [--exclude a/b/] FOLDER...}: every {@code .class} file under the
 * folders, but those whose name starts with an excluded prefix, into the pack {@code OUT}.
 */
public final class ClassPackWriter {

    private ClassPackWriter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ClassPackWriter OUT [--exclude a/b/] FOLDER...");
        }
        List<String> excluded = new ArrayList<>();
        Map<String, byte[]> classes = new TreeMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--exclude") && i + 1 < args.length) {
                excluded.add(args[++i]);
                continue;
            }
            Path folder = Paths.get(args[i]);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(folder)) {
                files = walk.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
            }
            for (Path file : files) {
                String name = folder.relativize(file).toString().replace(File.separatorChar, '/');
                name = name.substring(0, name.length() - ".class".length());
                if (excluded.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                if (classes.put(name, Files.readAllBytes(file)) != null) {
                    throw new IllegalStateException(name + " is in two of the folders");
                }
            }
        }
        try (OutputStream out = Files.newOutputStream(Paths.get(args[0]))) {
            write(classes, out);
        }
        System.out.println("ClassPackWriter: " + classes.size() + " classes into " + args[0]);
    }

    /** Writes the classes ({@code a/b/C} to its class file) as a pack, in the order of their names. */
    public static void write(Map<String, byte[]> classes, OutputStream out) throws IOException {
        List<String> names = new ArrayList<>(new TreeMap<>(classes).keySet());
        int count = names.size();
        int slots = count == 0 ? 0 : Integer.highestOneBit(count * 2 - 1) << 1; // at most half full
        int[] table = new int[slots];
        List<byte[]> encoded = new ArrayList<>();
        int namesLength = 0;
        for (int i = 0; i < count; i++) {
            byte[] name = names.get(i).getBytes(StandardCharsets.UTF_8);
            encoded.add(name);
            namesLength += name.length;
            int slot = ClassPack.spread(names.get(i).hashCode()) & (slots - 1);
            while (table[slot] != 0) {
                slot = (slot + 1) & (slots - 1);
            }
            table[slot] = i + 1;
        }
        long dataAt = ClassPack.HEADER_BYTES + (long) count * ClassPack.INDEX_ENTRY_BYTES + slots * 4L + namesLength;
        DataOutputStream d = new DataOutputStream(new BufferedOutputStream(out));
        d.writeInt(ClassPack.MAGIC);
        d.writeInt(count);
        d.writeInt(slots);
        d.writeInt(namesLength);
        int nameAt = 0;
        for (int i = 0; i < count; i++) {
            byte[] file = classes.get(names.get(i));
            if (dataAt + file.length > Integer.MAX_VALUE) {
                throw new IOException("the classes do not fit in a class pack (2 GiB)");
            }
            d.writeInt(nameAt);
            d.writeInt((int) dataAt);
            d.writeInt(file.length);
            d.writeInt(names.get(i).hashCode());
            nameAt += encoded.get(i).length;
            dataAt += file.length;
        }
        for (int slot : table) {
            d.writeInt(slot);
        }
        for (byte[] name : encoded) {
            d.write(name);
        }
        for (String name : names) {
            d.write(classes.get(name));
        }
        d.flush();
    }
}
