package io.affinityagent.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real kernel, on threads the test starts and ends (a thread keeps its nice value for good):
 * the launcher's own copy of the native helper, from a jar laid out as affinity-agent.jar.
 */
class StartPriorityTest {

    @TempDir
    Path dir;

    @Test
    void possibleOnLinuxBeforeTheJdkThatWarnsAboutNativeCode() {
        assertThat(StartPriority.possibleHere()).isEqualTo(System.getProperty("os.name").startsWith("Linux")
                && Runtime.version().feature() < StartPriority.FIRST_JDK_THAT_WARNS);
    }

    @Test
    void theCallingThreadAloneGetsTheStartsNiceValueAndNoFileIsLeft() throws Exception {
        Path jar = jarWithTheHelper();
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        int testThread = niceOfThisThread();
        String tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            for (int i = 0; i < 2; i++) { // the first loads the library, the second finds it loaded
                AtomicBoolean lowered = new AtomicBoolean();
                AtomicInteger nice = new AtomicInteger(Integer.MIN_VALUE);
                Thread t = new Thread(() -> {
                    lowered.set(StartPriority.lowerCurrentThread(jar.toFile()));
                    nice.set(niceOfThisThread());
                }, "start-priority-" + i);
                t.start();
                t.join();
                assertThat(lowered).as("call %d", i).isTrue();
                assertThat(nice.get()).as("call %d: the thread's nice, from the kernel", i)
                        .isEqualTo(Math.max(StartPriority.START_NICE, testThread));
            }
        } finally {
            System.setProperty("java.io.tmpdir", tmpdir);
        }
        assertThat(niceOfThisThread()).as("the thread that started them").isEqualTo(testThread);
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("the private copy and its directory, deleted once loaded").isEmpty();
        }
    }

    @Test
    void aThreadAtAHigherNiceValueKeepsIt() throws Exception {
        Path jar = jarWithTheHelper();
        AtomicBoolean lowered = new AtomicBoolean();
        AtomicInteger nice = new AtomicInteger(Integer.MIN_VALUE);
        int higher = StartPriority.START_NICE + 5;
        Thread t = new Thread(() -> {
            if (StartPriority.lowerCurrentThread(jar.toFile()) && StartPriority.lowerTo(higher) == 0) {
                lowered.set(StartPriority.lowerCurrentThread(jar.toFile())); // asks for START_NICE again
                nice.set(niceOfThisThread());
            }
        }, "start-priority-higher");
        t.start();
        t.join();
        assertThat(lowered).isTrue();
        assertThat(nice.get()).as("the thread's nice, from the kernel").isEqualTo(Math.max(higher, niceOfThisThread()));
    }

    /** A jar with the helper this build made, where affinity-agent.jar keeps it. */
    private Path jarWithTheHelper() throws IOException {
        String arch = System.getProperty("os.arch");
        Path jar = dir.resolve("agent.jar");
        try (InputStream helper = StartPriority.class.getResourceAsStream(
                "/io/affinityagent/os/native/linux-" + arch + "/" + StartPriority.LIBRARY);
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            // The jar carries the helper for x86-64 and aarch64; elsewhere the start keeps the JVM's priority.
            org.junit.jupiter.api.Assumptions.assumeTrue(helper != null, "no native helper is built for linux-" + arch);
            out.putNextEntry(new JarEntry(StartPriority.HELPER_ENTRY.replace("{arch}", arch)));
            helper.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /** Field 19 of /proc/thread-self/stat, counted after the name, which may hold spaces. */
    private static int niceOfThisThread() {
        try {
            String stat = new String(Files.readAllBytes(Paths.get("/proc/thread-self/stat")), StandardCharsets.US_ASCII);
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ")[19 - 3]);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
