package io.affinityagent.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only files the agent ever creates: its JNI helper, copied into a directory of its own under
 * java.io.tmpdir, loaded, and deleted at once. Seen from inside the load (through a stand-in for
 * NativeCalls whose load method looks instead of loading): the directory is the owner's alone, the
 * file is no one else's, and afterwards nothing is left.
 */
class NativeHelperFilesTest {

    /** What the stand-in saw when the agent asked it to load the library. */
    static final List<String> SEEN = new ArrayList<>();

    /** Has the methods NativeHelper looks up on bootstrap.NativeCalls. */
    public static final class LookingCalls {
        private LookingCalls() {
        }

        public static void load(String path) throws IOException {
            Path file = Path.of(path);
            SEEN.add("dir " + PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
            SEEN.add("file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            SEEN.add("size " + Files.size(file));
            try (Stream<Path> siblings = Files.list(file.getParent())) {
                SEEN.add("entries " + siblings.map(p -> p.getFileName().toString()).collect(Collectors.joining(",")));
            }
            SEEN.add("path " + path);
        }

        public static int setAffinity(int tid, long[] mask) {
            return 0;
        }

        public static int getAffinity(int tid, long[] mask) {
            return 0;
        }

        public static int gettid() {
            return 0;
        }

        public static int pinSelfWord(long mask) {
            return 0;
        }

        public static int pinSelf(long[] mask) {
            return 0;
        }

        public static int getcpu() {
            return 0;
        }
    }

    @TempDir
    Path tmp;

    private String savedTmpdir;

    @BeforeEach
    void pointTmpdirHere() {
        savedTmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        SEEN.clear();
    }

    @AfterEach
    void restoreTmpdir() {
        System.setProperty("java.io.tmpdir", savedTmpdir);
    }

    @Test
    void theHelperIsWrittenIntoAPrivateDirectoryAsAnOwnerOnlyFileAndNothingIsLeft() throws Exception {
        NativeHelper.load(LookingCalls.class, System.getProperty("os.arch"));

        assertThat(SEEN).contains("dir rwx------", "file rw-------", "entries " + NativeHelper.LIBRARY);
        assertThat(SEEN).anySatisfy(s -> assertThat(s).startsWith("path " + tmp + "/affinity-agent-")
                .endsWith("/" + NativeHelper.LIBRARY));
        assertThat(SEEN).noneMatch(s -> s.equals("size 0"));
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("left in java.io.tmpdir").isEmpty();
        }
    }

    @Test
    void aFailedLoadLeavesNothingEither() throws Exception {
        try {
            NativeHelper.load(NativeHelperFilesTest.class, System.getProperty("os.arch")); // has no load method
        } catch (ReflectiveOperationException expected) {
            // the failure is the caller's to report
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("left in java.io.tmpdir").isEmpty();
        }
    }

    @Test
    void noFileOrDirectoryTheAgentMakesIsWritableByOthers() throws Exception {
        NativeHelper.load(LookingCalls.class, System.getProperty("os.arch"));
        for (String s : SEEN) {
            if (s.startsWith("dir ") || s.startsWith("file ")) {
                Set<PosixFilePermission> p = PosixFilePermissions.fromString(s.substring(s.indexOf(' ') + 1));
                assertThat(p).as(s).doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
            }
        }
    }
}
