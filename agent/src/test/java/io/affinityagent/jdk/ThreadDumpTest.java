package io.affinityagent.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Real dumps ({@code jcmd PID Thread.print}) of the same small program on JDK 17 (nid in hex)
 * and JDK 25 (nid in decimal, also in brackets after the Java id), with a thread whose name
 * holds quotes, a fake "#99 nid=0x1" and a line break, and one whose name holds spaces.
 */
class ThreadDumpTest {

    private static final String WEIRD = "we\"ird\" #99 nid=0x1 name\nline2";

    @Test
    void jdk17HexNativeIds() throws IOException {
        ThreadDump dump = ThreadDump.parse(resource("thread-dump-jdk17.txt"));

        assertThat(dump.byJavaId(1).name()).isEqualTo("main");
        assertThat(dump.byJavaId(1).nativeId()).isEqualTo(0x6cb5);
        assertThat(dump.byJavaId(12).name()).isEqualTo("pool-1-thread-1");
        assertThat(dump.byJavaId(12).nativeId()).isEqualTo(0x6cc7);
        assertThat(dump.byJavaId(13).name()).isEqualTo("ForkJoinPool-1-worker-1");
        assertThat(dump.byJavaId(13).nativeId()).isEqualTo(0x6cc8);
        assertThat(dump.byJavaId(14).name()).isEqualTo(WEIRD);
        assertThat(dump.byJavaId(14).nativeId()).isEqualTo(0x6cc9);
        assertThat(dump.byJavaId(15).name()).isEqualTo("order \"fast\" lane");
        assertThat(dump.byJavaId(99)).as("the id inside a name is not a thread").isNull();
    }

    @Test
    void jdk25DecimalNativeIds() throws IOException {
        ThreadDump dump = ThreadDump.parse(resource("thread-dump-jdk25.txt"));

        assertThat(dump.byJavaId(3).name()).isEqualTo("main");
        assertThat(dump.byJavaId(3).nativeId()).isEqualTo(27883);
        assertThat(dump.byJavaId(21).name()).isEqualTo("pool-1-thread-1");
        assertThat(dump.byJavaId(21).nativeId()).isEqualTo(27901);
        assertThat(dump.byJavaId(22).nativeId()).isEqualTo(27902);
        assertThat(dump.byJavaId(23).name()).isEqualTo(WEIRD);
        assertThat(dump.byJavaId(23).nativeId()).isEqualTo(27903);
        assertThat(dump.byJavaId(24).name()).isEqualTo("order \"fast\" lane");
        assertThat(dump.byJavaId(99)).isNull();
    }

    @Test
    void theJvmsOwnThreadsHaveANativeIdAndNoJavaId() throws IOException {
        ThreadDump jdk17 = ThreadDump.parse(resource("thread-dump-jdk17.txt"));
        ThreadDump jdk25 = ThreadDump.parse(resource("thread-dump-jdk25.txt"));

        assertThat(jdk17.byNativeId(0x6cbb).name()).isEqualTo("VM Thread");
        assertThat(jdk17.byNativeId(0x6cbb).javaId()).isEqualTo(-1);
        assertThat(jdk25.byNativeId(27891).name()).isEqualTo("VM Thread");
        // Every thread of the two programs, each once: 23 and 22 headers (the fake nid is not one).
        assertThat(jdk17.entries()).hasSize(23);
        assertThat(jdk25.entries()).hasSize(22);
        assertThat(jdk25.entries()).extracting(ThreadDump.Entry::nativeId).doesNotHaveDuplicates().doesNotContain(1);
    }

    @Test
    void nativeIdsInBothNotations() {
        assertThat(ThreadDump.parseNativeId("nid=0x3925 waiting", 4)).isEqualTo(0x3925);
        assertThat(ThreadDump.parseNativeId("nid=14665 waiting", 4)).isEqualTo(14665);
        assertThat(ThreadDump.parseNativeId("nid=14665", 4)).isEqualTo(14665);
        assertThat(ThreadDump.parseNativeId("nid=x12 ", 4)).isEqualTo(-1);
        assertThat(ThreadDump.parseNativeId("nid=0 ", 4)).isEqualTo(-1);
    }

    @Test
    void textThatIsNotADumpGivesNoThreads() {
        assertThat(ThreadDump.parse("").entries()).isEmpty();
        assertThat(ThreadDump.parse("Full thread dump\n\nnid=0x1\n\"x\" tid=0x1\n").entries()).isEmpty();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ThreadDumpTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
