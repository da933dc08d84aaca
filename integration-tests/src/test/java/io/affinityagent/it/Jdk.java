package io.affinityagent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * A JDK the integration tests start target JVMs with: the one running the tests (17) and the
 * JDK 25 at {@code affinity.test.jdk25}. A missing JDK fails the tests; it is never skipped.
 */
public final class Jdk {

    private final String name;
    private final Path home;
    private final int feature;

    private Jdk(String name, Path home, int feature) {
        this.name = name;
        this.home = home;
        this.feature = feature;
    }

    public static Jdk current() {
        return new Jdk("JDK " + Runtime.version().feature(), Paths.get(System.getProperty("java.home")),
                Runtime.version().feature());
    }

    public static Jdk jdk25() {
        String home = System.getProperty("affinity.test.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64");
        Path path = Paths.get(home);
        if (!Files.isExecutable(path.resolve("bin/java"))) {
            throw new IllegalStateException("JDK 25 not found at " + home + " (set -Daffinity.test.jdk25=...)");
        }
        return new Jdk("JDK 25", path, 25);
    }

    /** A JDK at {@code home} (whose bin/java may be a script, as for a foreign CPU under qemu). */
    public static Jdk at(String name, Path home, int feature) {
        return new Jdk(name, home, feature);
    }

    /** Every JDK the tests run against, for {@code @MethodSource}. */
    public static Stream<Jdk> all() {
        return List.of(current(), jdk25()).stream();
    }

    public Path java() {
        return home.resolve("bin/java");
    }

    public int feature() {
        return feature;
    }

    @Override
    public String toString() {
        return name;
    }
}
