package io.affinityagent.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.bootstrap.WorkerHooks;
import io.affinityagent.os.CpuAffinities;
import io.affinityagent.os.CpuAffinity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JVM's thread-start event through the real native helper: delivered on the new thread,
 * before its run(), for a Thread subclass that overrides run(); Thread.run's hook quiet meanwhile.
 */
class ThreadStartWatchTest {

    /** What the bridge's handler saw: the thread it was told of, the thread it ran on, and whether run() had begun. */
    private static final class Seen {
        final Thread told;
        final Thread on;
        final boolean runBegun;

        Seen(Thread told, Thread on, boolean runBegun) {
            this.told = told;
            this.on = on;
            this.runBegun = runBegun;
        }
    }

    /** Overrides run() and never calls super.run(): Thread.run's hook never sees it. */
    private static final class OwnRunThread extends Thread {
        volatile boolean runBegun;

        OwnRunThread(String name) {
            super(name);
        }

        @Override
        public void run() {
            runBegun = true;
        }
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void loadHelper() {
        CpuAffinity affinity = CpuAffinities.load(NativeCalls.class);
        Assumptions.assumeTrue(affinity.nativeCalls() != null, "no native helper here: " + affinity.backendName());
        WorkerHooks.onThreadRun = new Consumer<Thread>() {
            @Override
            public void accept(Thread t) {
                if (t.getName().startsWith("watched-")) {
                    seen.add(new Seen(t, Thread.currentThread(), t instanceof OwnRunThread && ((OwnRunThread) t).runBegun));
                    if (t.getName().contains("throwing")) {
                        throw new IllegalStateException("the agent's bug");
                    }
                }
            }
        };
    }

    @AfterEach
    void stopWatching() {
        NativeCalls.unwatchThreadStarts();
        WorkerHooks.threadStartsWatched = false;
        WorkerHooks.onThreadRun = null;
    }

    @Test
    void aThreadSubclassThatOverridesRunIsToldOnItselfBeforeItsRun() throws Exception {
        assertThat(ThreadStartWatch.start(NativeCalls.class, WorkerHooks.class)).isNull();
        assertThat(WorkerHooks.threadStartsWatched).isTrue();

        OwnRunThread sub = new OwnRunThread("watched-subclass");
        sub.start();
        sub.join();
        Thread plain = new Thread(() -> { }, "watched-plain");
        plain.start();
        plain.join();

        assertThat(sub.runBegun).isTrue();
        assertThat(seen).hasSize(2); // the plain thread once: Thread.run's hook stays quiet
        assertThat(seen.get(0).told).isSameAs(sub);
        assertThat(seen.get(0).on).isSameAs(sub);
        assertThat(seen.get(0).runBegun).isFalse();
        assertThat(seen.get(1).told).isSameAs(plain);
        assertThat(seen.get(1).on).isSameAs(plain);
    }

    @Test
    void theAgentsExceptionNeverReachesTheNewThread() throws Exception {
        assertThat(ThreadStartWatch.start(NativeCalls.class, WorkerHooks.class)).isNull();
        OwnRunThread sub = new OwnRunThread("watched-throwing");
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        sub.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        sub.start();
        sub.join();
        assertThat(seen).hasSize(1);
        assertThat(sub.runBegun).isTrue();
        assertThat(uncaught).isEmpty();
    }

    @Test
    void offAgainNothingIsTold() throws Exception {
        assertThat(ThreadStartWatch.start(NativeCalls.class, WorkerHooks.class)).isNull();
        assertThat(NativeCalls.unwatchThreadStarts()).isZero();
        OwnRunThread sub = new OwnRunThread("watched-after");
        sub.start();
        sub.join();
        assertThat(seen).isEmpty();
    }

    /** The JNI side under the JVM's own checks: not one complaint of -Xcheck:jni. */
    @Test
    void underXcheckJniTheEventIsDeliveredWithoutAWarning() throws Exception {
        Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xcheck:jni",
                "-cp", System.getProperty("java.class.path"), UnderCheckedJni.class.getName()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out + err).isZero();
        assertThat(out).isEqualTo("told watched-checked on itself before its run()\n");
        assertThat(err).isEmpty();
    }

    /** A JVM of its own, run with -Xcheck:jni: watch, one subclass thread, unwatch. */
    public static final class UnderCheckedJni {
        public static void main(String[] args) throws Exception {
            CpuAffinities.load(NativeCalls.class);
            List<String> told = new CopyOnWriteArrayList<>();
            WorkerHooks.onThreadRun = new Consumer<Thread>() {
                @Override
                public void accept(Thread t) {
                    if (t == Thread.currentThread() && t instanceof OwnRunThread && !((OwnRunThread) t).runBegun) {
                        told.add("told " + t.getName() + " on itself before its run()");
                    }
                }
            };
            String problem = ThreadStartWatch.start(NativeCalls.class, WorkerHooks.class);
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
            OwnRunThread sub = new OwnRunThread("watched-checked");
            sub.start();
            sub.join();
            NativeCalls.unwatchThreadStarts();
            System.out.println(String.join(",", told));
        }
    }

    @Test
    void aBridgeWithoutTheMethodIsAProblemNotACrash() {
        // The helper takes one bridge class per load; another one is refused with a JVMTI error.
        assertThat(ThreadStartWatch.start(NativeCalls.class, String.class)).startsWith(
                "cannot switch on the JVM's thread-start event");
    }
}
