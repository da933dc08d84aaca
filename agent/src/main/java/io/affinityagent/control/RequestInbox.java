package io.affinityagent.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The agent's side of {@link ControlRequest}: where it looks, and the checks a file must pass
 * before it is acted on. The rules are HotSpot's own for its attach trigger file: a regular
 * file (not a link), owned by this JVM's user or by root, so another local user can neither
 * plant a request nor swap one (/tmp is sticky: only a file's owner may replace it).
 */
public final class RequestInbox {

    /** What looking found. */
    public static final class Found {
        private final ControlRequest request;
        private final String problem;

        Found(ControlRequest request, String problem) {
            this.request = request;
            this.problem = problem;
        }

        /** The request to act on, or null. */
        public ControlRequest request() {
            return request;
        }

        /** Why a file that was there was dropped, or null. */
        public String problem() {
            return problem;
        }
    }

    private static final Found NOTHING = new Found(null, null);

    private final Path file;
    /** This JVM's user; -1 until a file is first found (start-up reads nothing it need not). */
    private volatile int ownUid;

    RequestInbox(Path file, int ownUid) {
        this.file = file;
        this.ownUid = ownUid;
    }

    /** The inbox of this JVM: {@link #fileFor} its pid. */
    public static RequestInbox forThisProcess(long pid) {
        return new RequestInbox(Paths.get(fileFor(pid)), -1);
    }

    /** {@code /tmp/.affinity-agent-PID.request}, PID as the JVM knows itself (its pid namespace's). */
    public static String fileFor(long pid) {
        return "/tmp/.affinity-agent-" + pid + ".request";
    }

    public Path file() {
        return file;
    }

    /**
     * Takes the request if there is one: reads it, deletes the file (so it is acted on once),
     * and returns it if it passes the checks. Costs one stat() when there is none.
     */
    public Found take(long nowMillis) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return NOTHING;
        }
        try {
            if (ownUid < 0) {
                ownUid = (Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
            }
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile() || attrs.size() > ControlRequest.MAX_BYTES) {
                return new Found(null, file + " is not a request file; ignored");
            }
            if (owner != ownUid && owner != 0) {
                return new Found(null, file + " belongs to uid " + owner + ", not to this JVM's user (uid " + ownUid
                        + ") or root; ignored");
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            ControlRequest request;
            try {
                request = ControlRequest.parse(text);
            } catch (IOException incomplete) {
                return NOTHING; // still being written: the command line reads the reply after it is done
            }
            Files.deleteIfExists(file);
            if (!request.isFresh(nowMillis)) {
                return new Found(null, file + " is a stale request (written " + (nowMillis - request.createdMillis()) / 1000
                        + " s ago); dropped");
            }
            return new Found(request, null);
        } catch (IOException | RuntimeException e) {
            return new Found(null, "cannot read " + file + ": " + e);
        }
    }
}
