package io.affinityagent.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files on the real file system: owners, links and ages as the kernel reports them. */
class RequestInboxTest {

    private static final long NOW = 1_732_372_800_000L;

    @TempDir
    Path dir;

    private int ownUid() throws IOException {
        return (Integer) Files.getAttribute(dir, "unix:uid");
    }

    private Path write(String name, ControlRequest request) throws IOException {
        return Files.write(dir.resolve(name), request.toText().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFreshRequestOfThisUserIsTakenOnce() throws IOException {
        Path file = write("r", new ControlRequest("detach,request=1", NOW - 1000));
        RequestInbox inbox = new RequestInbox(file, ownUid());

        RequestInbox.Found first = inbox.take(NOW);
        RequestInbox.Found second = inbox.take(NOW);

        assertThat(first.request().arguments()).isEqualTo("detach,request=1");
        assertThat(first.problem()).isNull();
        assertThat(file).doesNotExist();
        assertThat(second.request()).isNull();
        assertThat(second.problem()).isNull();
    }

    @Test
    void aStaleRequestIsDroppedUnread() throws IOException {
        Path file = write("r", new ControlRequest("detach", NOW - ControlRequest.MAX_AGE_MILLIS - 1));

        RequestInbox.Found found = new RequestInbox(file, ownUid()).take(NOW);

        assertThat(found.request()).isNull();
        assertThat(found.problem()).contains("stale request");
        assertThat(file).doesNotExist();
    }

    @Test
    void aFileOfAnotherUserIsRefusedEvenWhenReadable() throws IOException {
        Path file = write("r", new ControlRequest("detach", NOW));
        int owner = ownUid();
        if (owner == 0) {
            owner = 4242; // root gives the file away; otherwise it is ours and the JVM's user is someone else
            Files.setAttribute(file, "unix:uid", owner, LinkOption.NOFOLLOW_LINKS);
        }
        int jvmUser = owner + 1;

        RequestInbox.Found found = new RequestInbox(file, jvmUser).take(NOW);

        assertThat(found.request()).isNull();
        assertThat(found.problem()).contains("belongs to uid " + owner + ", not to this JVM's user (uid " + jvmUser
                + ") or root");
        assertThat(file).exists();
    }

    @Test
    void aFileOfRootIsTrustedAsHotSpotTrustsRoot() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(ownUid() == 0, "only root can write a root-owned file");
        Path file = write("r", new ControlRequest("detach", NOW));

        RequestInbox.Found found = new RequestInbox(file, 4343).take(NOW);

        assertThat(found.request().arguments()).isEqualTo("detach");
    }

    @Test
    void aSymbolicLinkIsNotFollowed() throws IOException {
        Path target = write("target", new ControlRequest("detach", NOW));
        Path link = Files.createSymbolicLink(dir.resolve("r"), target);

        RequestInbox.Found found = new RequestInbox(link, ownUid()).take(NOW);

        assertThat(found.request()).isNull();
        assertThat(found.problem()).contains("not a request file");
        assertThat(target).exists();
    }
}
