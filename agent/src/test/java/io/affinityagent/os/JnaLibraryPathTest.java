package io.affinityagent.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JnaLibraryPathTest {

    @TempDir
    Path dir;

    @Test
    void theDirectoriesOfLdSoConfDFirstThenMultiarchThenTheUsualOnes() throws Exception {
        Files.writeString(dir.resolve("libc.conf"), "# libc default configuration\n/usr/local/lib\n");
        Files.writeString(dir.resolve("x86_64-linux-gnu.conf"), "# Multiarch support\n/usr/local/lib/x86_64-linux-gnu\n"
                + "/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n");
        Files.writeString(dir.resolve("ignored.txt"), "/nowhere\n");

        assertThat(JnaLibraryPath.directories(dir, "ppc64le")).startsWith("/usr/local/lib", "/usr/local/lib/x86_64-linux-gnu")
                .contains("/usr/lib/powerpc64le-linux-gnu", "/lib/powerpc64le-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib",
                        "/lib")
                .doesNotContain("/nowhere").doesNotHaveDuplicates();
    }

    @Test
    void withoutLdSoConfDTheMultiarchAndUsualDirectories() {
        assertThat(JnaLibraryPath.directories(dir.resolve("absent"), "s390x")).containsExactly("/usr/lib/s390x-linux-gnu",
                "/lib/s390x-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib");
        assertThat(JnaLibraryPath.directories(dir.resolve("absent"), "sparcv9")).containsExactly("/usr/lib64", "/lib64",
                "/usr/lib", "/lib");
    }
}
