package io.affinityagent.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A second user for the tests that need one (a JVM of another user, the command line run by
 * another user): a numeric uid that no account has, taken with setpriv, which needs no account,
 * so the tests add no user to the machine. The checkout may sit in a private (0700) directory,
 * so what that user reads (the agent jar, the test applications, configs) is copied into a fresh
 * 0755 directory of its own, which is also its working directory; {@link #close()} removes it.
 */
public final class TestUser implements AutoCloseable {

    /** Where the search for a uid no account has starts (above the usual 1000-60000 of people). */
    private static final int FIRST_CANDIDATE_UID = 61_300;

    private final int uid;
    private final String name;
    private final Path dir;
    private final Path jar;
    private final Path apps;

    private TestUser(int uid, String name, Path dir, Path jar, Path apps) {
        this.uid = uid;
        this.name = name;
        this.dir = dir;
        this.jar = jar;
        this.apps = apps;
    }

    /**
     * A uid of no account with a directory holding a copy of the agent jar and the test
     * applications; skips the test where that cannot be (not root, no setpriv).
     */
    public static TestUser create() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "running processes as another user needs root");
        Assumptions.assumeTrue(run("setpriv", "--version") == 0, "setpriv (util-linux) is not available");
        int uid = FIRST_CANDIDATE_UID;
        while (run("getent", "passwd", Integer.toString(uid)) == 0) {
            uid++;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("affinity-it-user-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Path jar = copy(TargetJvm.AGENT_JAR, dir.resolve("affinity-agent.jar"));
            Path apps = dir.resolve("test-classes");
            copyTree(Paths.get(TargetJvm.APPS_CLASSPATH), apps);
            // The name the system gives the uid: with no account, the number itself.
            String name = Files.getOwner(Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(Integer.toString(uid)))).getName();
            Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
            return new TestUser(uid, name, dir, jar, apps);
        } catch (IOException e) {
            delete(dir);
            throw new UncheckedIOException(e);
        }
    }

    /** For setpriv's --reuid and --regid. */
    public String uid() {
        return Integer.toString(uid);
    }

    /** How the system names this user (/proc's owner name): the uid itself, having no account. */
    public String name() {
        return name;
    }

    /** Its directory (0755): its working directory, and the place for what it must read. */
    public Path dir() {
        return dir;
    }

    /** A copy of the agent jar that this user can read. */
    public Path jar() {
        return jar;
    }

    /** A copy of the test applications' classes that this user can read. */
    public String appsClasspath() {
        return apps.toString();
    }

    @Override
    public void close() {
        delete(dir);
    }

    @Override
    public String toString() {
        return "uid " + uid;
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
        return to;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(d).toString());
                Files.createDirectories(target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                copy(f, to.resolve(from.relativize(f).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
