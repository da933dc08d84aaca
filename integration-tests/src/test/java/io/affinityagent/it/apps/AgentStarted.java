package io.affinityagent.it.apps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * For the test applications, before they say READY: waits until affinity-agent's start at JVM
 * start has ended (its thread, {@code affinity-start}, is gone from /proc), so that by READY the
 * agent's plan is active, the threads started before it are placed, and its start-up lines are
 * on stderr ahead of anything the application prints next. Returns at once without the agent.
 */
public final class AgentStarted {

    /** The agent's start thread as /proc names it. */
    static final String START_THREAD = "affinity-start";

    private AgentStarted() {
    }

    public static void await() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (startThreadRuns()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("affinity-agent's start thread still runs after 60 s");
            }
            Thread.sleep(2);
        }
    }

    private static boolean startThreadRuns() throws IOException {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (new String(Files.readAllBytes(task.resolve("comm")), StandardCharsets.UTF_8).trim()
                            .equals(START_THREAD)) {
                        return true;
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended as we looked
                } catch (IOException e) {
                    // the same, seen by the read rather than the open: the kernel says ESRCH
                }
            }
        }
        return false;
    }
}
