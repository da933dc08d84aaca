package io.affinityagent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A JDK the integration tests start target JVMs with: the one running the tests (17), the JDK 21
 * at {@code affinity.test.jdk21} (Debian trixie's, fetched and extracted by .ci/jdk21.sh, run
 * through its own libc's loader) and the JDK 25 at {@code affinity.test.jdk25}.
 *
 * <p>A JDK that is not there makes its cases skip, with the reason printed once, so that {@code
 * mvn verify} works on a machine that lacks it; under CI ({@code CI=true}) it fails them instead,
 * since CI must really test every JDK.
 */
public final class Jdk {

    private static final Set<String> REPORTED_MISSING = ConcurrentHashMap.newKeySet();

    private final String name;
    private final Path home;
    private final int feature;
    private final String missing; // why it cannot be used, or null

    private Jdk(String name, Path home, int feature, String missing) {
        this.name = name;
        this.home = home;
        this.feature = feature;
        this.missing = missing;
    }

    public static Jdk current() {
        return new Jdk("JDK " + Runtime.version().feature(), Paths.get(System.getProperty("java.home")),
                Runtime.version().feature(), null);
    }

    public static Jdk jdk21() {
        String fetched = System.getenv("AFFINITY_TEST_JDK21"); // what .ci/run got from .ci/jdk21.sh
        return at(21, "affinity.test.jdk21", fetched != null && !fetched.isEmpty() ? fetched
                : defaultCache().resolve("jdk21/home").toString(),
                "run .ci/jdk21.sh, which fetches it into " + defaultCache().resolve("jdk21"));
    }

    public static Jdk jdk25() {
        return at(25, "affinity.test.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64", "install a JDK 25 there");
    }

    /** A JDK at {@code home} (whose bin/java may be a script, as for a foreign CPU under qemu). */
    public static Jdk at(String name, Path home, int feature) {
        return new Jdk(name, home, feature, null);
    }

    /** Every JDK the tests run against, for {@code @MethodSource}: 17, 21 and 25 (each once). */
    public static Stream<Jdk> all() {
        List<Jdk> jdks = new ArrayList<>();
        jdks.add(current());
        for (Jdk jdk : List.of(jdk21(), jdk25())) {
            if (jdk.feature != jdks.get(0).feature) {
                jdks.add(jdk);
            }
        }
        return jdks.stream();
    }

    /**
     * The launcher. For a JDK that is not there, skips the test (or fails it under CI): every test
     * starts its JVMs through this, so a missing JDK is found before anything is checked.
     */
    public Path java() {
        requirePresent();
        return home.resolve("bin/java");
    }

    /** Skips the calling test (fails it under CI=true) when this JDK is not there. */
    public void requirePresent() {
        if (missing == null) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(missing + " (CI=true: every JDK must be tested)");
        }
        if (REPORTED_MISSING.add(name)) {
            System.err.println("[integration-tests] " + missing + ": the " + name + " cases are skipped");
        }
        Assumptions.abort(missing);
    }

    /** The JDK's home as the tests were given it (for JDK 21, the directory of its java wrapper). */
    public Path home() {
        return home;
    }

    public int feature() {
        return feature;
    }

    @Override
    public String toString() {
        return name;
    }

    private static Jdk at(int feature, String property, String defaultHome, String remedy) {
        String value = System.getProperty(property, "");
        // An unset Maven property arrives as its own "${...}" text.
        String home = value.isBlank() || value.startsWith("${") ? defaultHome : value;
        Path path = Paths.get(home);
        String missing = Files.isExecutable(path.resolve("bin/java")) ? null
                : "JDK " + feature + " not found at " + home + " (" + remedy + ", or pass -D" + property + "=HOME)";
        return new Jdk("JDK " + feature, path, feature, missing);
    }

    /** Where .ci/jdk21.sh caches what it fetches: $AFFINITY_CACHE, else its default for this user. */
    private static Path defaultCache() {
        String cache = System.getenv("AFFINITY_CACHE");
        if (cache != null && !cache.isEmpty()) {
            return Paths.get(cache);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Paths.get("/var/cache/affinity-agent");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isEmpty() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache"))
                .resolve("affinity-agent");
    }
}
