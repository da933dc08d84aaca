package io.affinityagent.it;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A second user for the tests that need one (a JVM of another user). Created with useradd the
 * first time, as a system account without a home or a login shell, and kept: tests in several
 * worktrees may use it at once, so none removes it.
 */
public final class TestUser {

    public static final String NAME = "affinityit";

    private TestUser() {
    }

    /** Makes sure the user exists; skips the test where it cannot (not root, no useradd). */
    public static String ensure() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "creating a second user and running processes as it needs root");
        if (run("id", "-u", NAME) != 0) {
            int status = run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", NAME);
            // A parallel run may have created it meanwhile (useradd then says so, status 9).
            if (status != 0 && run("id", "-u", NAME) != 0) {
                throw new AssertionError("useradd " + NAME + " failed with status " + status);
            }
        }
        return NAME;
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
            Assumptions.abort(cmd[0] + " is not available: " + e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
