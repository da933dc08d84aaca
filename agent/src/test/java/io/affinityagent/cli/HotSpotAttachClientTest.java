package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.os.ProcFs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's client of HotSpot's attach protocol, against a fake JVM: a fake /proc whose
 * process 4242 (4242 in its own pid namespace too: 77) has a working directory and a /tmp, and a
 * listener on a Unix domain socket that answers as HotSpot's attach listener does.
 */
class HotSpotAttachClientTest {

    private static final long PID = 4242;
    private static final long NS_PID = 77;

    @TempDir
    Path proc;

    private TargetProcess target;
    private Path socket;
    private Path cwdTrigger;
    private FakeListener listener;

    @BeforeEach
    void fakeProc() throws Exception {
        Files.createDirectories(proc.resolve("self"));
        Path dir = Files.createDirectories(proc.resolve(Long.toString(PID)));
        Files.writeString(dir.resolve("comm"), "java\n");
        Files.writeString(dir.resolve("status"), "Name:\tjava\nNSpid:\t" + PID + "\t" + NS_PID + "\n");
        Files.createDirectories(dir.resolve("cwd"));
        Files.createDirectories(dir.resolve("root/tmp"));
        target = TargetProcess.find(new ProcFs(proc), PID);
        socket = dir.resolve("root/tmp/.java_pid" + NS_PID);
        cwdTrigger = dir.resolve("cwd/.attach_pid" + NS_PID);
        assertThat(target.attachSocket()).isEqualTo(socket);
    }

    @AfterEach
    void stop() throws Exception {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void aRequestIsTheVersionTheCommandAndThreeArgumentsEachEndedByNul() {
        assertThat(new String(HotSpotAttachClient.request("load", "instrument", "false", "/a.jar=config=/b"),
                StandardCharsets.UTF_8)).isEqualTo("1\0load\0instrument\0false\0/a.jar=config=/b\0");
        assertThat(new String(HotSpotAttachClient.request("agentProperties"), StandardCharsets.UTF_8))
                .isEqualTo("1\0agentProperties\0\0\0\0");
        assertThat(HotSpotAttachClient.request("jcmd", "Thread.print \u00e9"))
                .endsWith("Thread.print \u00e9\0\0\0".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> HotSpotAttachClient.request("load", "a", "b", "c", "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HotSpotAttachClient.request("load", "a\0b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReplyIsTheStatusLineThenTheOutput() throws IOException {
        HotSpotAttachClient.Reply ok = HotSpotAttachClient.readReply(in("0\nreturn code: 0\n"));
        assertThat(ok.status).isZero();
        assertThat(ok.firstLine()).isEqualTo("return code: 0");
        HotSpotAttachClient.Reply failed = HotSpotAttachClient.readReply(in("101\nProtocol mismatch"));
        assertThat(failed.status).isEqualTo(101);
        assertThat(failed.output).isEqualTo("Protocol mismatch");
        assertThat(HotSpotAttachClient.readReply(in("-1\n")).status).isEqualTo(-1);
        assertThat(HotSpotAttachClient.readReply(in("0\n")).firstLine()).isEmpty();
    }

    @Test
    void anythingElseIsNoReply() {
        assertThatThrownBy(() -> HotSpotAttachClient.readReply(in(""))).hasMessageContaining("without an answer");
        assertThatThrownBy(() -> HotSpotAttachClient.readReply(in("0"))).hasMessageContaining("without an answer");
        assertThatThrownBy(() -> HotSpotAttachClient.readReply(in("\nx"))).hasMessageContaining("empty status line");
        assertThatThrownBy(() -> HotSpotAttachClient.readReply(in("HTTP/1.1 200\n")))
                .hasMessageContaining("status line holding 'H'");
    }

    @Test
    void theSignalComesWithTheTriggerFileInTheJvmsDirectoryAndTheClientTalksOnceTheSocketIsThere() throws Exception {
        List<Boolean> triggerThereWhenSignalled = new ArrayList<>();
        HotSpotAttachClient client = HotSpotAttachClient.open(target, pid -> {
            assertThat(pid).isEqualTo(PID);
            triggerThereWhenSignalled.add(Files.exists(cwdTrigger));
            listener = FakeListener.start(socket, "0\nk=v\\:w\nsun.jvm.args=-Xmx1g\n");
        }, TimeUnit.SECONDS.toNanos(10));

        Properties p = client.properties("agentProperties");

        assertThat(triggerThereWhenSignalled).containsExactly(true);
        assertThat(cwdTrigger).doesNotExist();
        assertThat(p).containsEntry("k", "v:w").containsEntry("sun.jvm.args", "-Xmx1g");
        assertThat(listener.requests()).containsExactly("1\0agentProperties\0\0\0\0");
    }

    @Test
    void aJvmWhoseListenerRunsIsNotSignalled() throws Exception {
        listener = FakeListener.start(socket, "0\nreturn code: 0\n");
        HotSpotAttachClient client = HotSpotAttachClient.open(target, pid -> {
            throw new AssertionError("signalled");
        }, TimeUnit.SECONDS.toNanos(10));

        HotSpotAttachClient.Reply reply = client.execute("load", "instrument", "false", "/x.jar=config=/c");

        assertThat(reply.status).isZero();
        assertThat(reply.firstLine()).isEqualTo("return code: 0");
        assertThat(listener.requests()).containsExactly("1\0load\0instrument\0false\0/x.jar=config=/c\0");
    }

    @Test
    void withNoWorkingDirectoryToWriteInTheTriggerGoesToTheJvmsTmp() throws Exception {
        Files.delete(cwdTrigger.getParent());
        Path tmpTrigger = proc.resolve(PID + "/root/tmp/.attach_pid" + NS_PID);
        List<Boolean> there = new ArrayList<>();
        HotSpotAttachClient.open(target, pid -> {
            there.add(Files.exists(tmpTrigger));
            listener = FakeListener.start(socket, "0\n");
        }, TimeUnit.SECONDS.toNanos(10));

        assertThat(there).containsExactly(true);
        assertThat(tmpTrigger).doesNotExist();
    }

    @Test
    void aJvmThatNeverOpensItsSocketIsSignalledTwiceAndLeftWithoutTrigger() {
        List<Long> signals = new ArrayList<>();

        assertThatThrownBy(() -> HotSpotAttachClient.open(target, signals::add, TimeUnit.MILLISECONDS.toNanos(60)))
                .isInstanceOf(HotSpotAttachClient.NoListener.class)
                .hasMessage("JVM 4242 did not open its attach socket " + socket + " within 60 ms");
        assertThat(signals).containsExactly(PID, PID);
        assertThat(cwdTrigger).doesNotExist();
    }

    @Test
    void aTriggerThatIsThereAlreadyIsAnotherCommandsAndLeftToIt() throws Exception {
        Files.createFile(cwdTrigger);
        HotSpotAttachClient.open(target, pid -> listener = FakeListener.start(socket, "0\n"),
                TimeUnit.SECONDS.toNanos(10));

        assertThat(cwdTrigger).exists();
    }

    @Test
    void aSocketOthersMayWriteToIsNotTheJvms() throws Exception {
        listener = FakeListener.start(socket, "0\n");
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThatThrownBy(() -> HotSpotAttachClient.open(target, pid -> { }, TimeUnit.SECONDS.toNanos(1)))
                .hasMessage("the attach socket " + socket + " may be written by others than its owner");
    }

    @Test
    void aRefusedCommandSaysWhy() throws Exception {
        listener = FakeListener.start(socket, "1\nUnknown diagnostic command\n");
        HotSpotAttachClient client = HotSpotAttachClient.open(target, pid -> { }, TimeUnit.SECONDS.toNanos(1));

        assertThatThrownBy(() -> client.properties("properties"))
                .hasMessage("the JVM refused 'properties': Unknown diagnostic command");
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    /** HotSpot's listener, as far as the client sees it: one request per connection, one answer, closed. */
    private static final class FakeListener implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Thread thread;
        private final List<String> requests = new ArrayList<>();

        private FakeListener(ServerSocketChannel server, String answer) {
            this.server = server;
            this.thread = new Thread(() -> serve(answer), "fake-attach-listener");
            thread.setDaemon(true);
            thread.start();
        }

        static FakeListener start(Path socket, String answer) throws IOException {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            return new FakeListener(server, answer);
        }

        private void serve(String answer) {
            try {
                while (true) {
                    try (SocketChannel c = server.accept()) {
                        ByteArrayOutputStream request = new ByteArrayOutputStream();
                        ByteBuffer b = ByteBuffer.allocate(1);
                        int nuls = 0;
                        while (nuls < 5 && c.read(b.clear()) > 0) {
                            request.write(b.get(0));
                            nuls += b.get(0) == 0 ? 1 : 0;
                        }
                        synchronized (requests) {
                            requests.add(request.toString(StandardCharsets.UTF_8));
                        }
                        c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        List<String> requests() {
            synchronized (requests) {
                return new ArrayList<>(requests);
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }
}
