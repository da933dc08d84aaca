package io.affinityagent.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes config files for a test. */
public final class Configs {

    private Configs() {
    }

    public static Path write(Path dir, String... lines) {
        return writeAs(dir.resolve("affinity.properties"), lines);
    }

    public static Path writeAs(Path file, String... lines) {
        try {
            Files.write(file, List.of(lines), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
