package io.affinityagent.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's JFR events, written through {@link AgentEvents} into real recordings made with the
 * JDK's own settings, read back with jdk.jfr.consumer.
 */
class FlightRecorderEventsTest {

    @TempDir
    Path dir;

    /** The agent's events of a recording, in order. */
    private List<RecordedEvent> agentEvents(Recording r, String marker) throws IOException {
        Path file = dir.resolve(r.getName() + ".jfr");
        r.dump(file);
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().startsWith("io.affinityagent.")
                    && (!e.hasField("rule") || marker.equals(e.getString("rule")) || e.hasField("ruleLoads"))) {
                out.add(e);
            }
        }
        out.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "profile"})
    void everyEventIsOnInTheJdksSettingsWithItsFieldsAndNoStackTrace(String settings) throws Exception {
        AgentEvents events = AgentEvents.forThisJvm();
        java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
        Thread worker = new Thread(() -> {
            try {
                end.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "order-1");
        worker.start(); // JFR names a thread it has seen start
        try (Recording r = new Recording(Configuration.getConfiguration(settings))) {
            r.setName(settings);
            r.start();
            events.workerPinned(worker, 4242, "orders", "thread-pool", CpuSet.of(0, 2, 3), true, 12_345);
            events.pinFailed(worker, 4243, "orders", CpuSet.of(7), "Invalid argument (EINVAL)");
            events.workerReleased(worker, 4242, "orders", CpuSet.of(0, 2, 3), "exit");
            events.replanned("re-attach", "/etc/affinity.properties", "pinned 2 running workers",
                    "orders cpus=0-1 loads=1,1", 2, 3, 1, 4);
            r.stop();

            List<RecordedEvent> recorded = agentEvents(r, "orders");

            assertThat(recorded).extracting(e -> e.getEventType().getName()).containsExactly(
                    "io.affinityagent.WorkerPinned", "io.affinityagent.PinFailed", "io.affinityagent.WorkerReleased",
                    "io.affinityagent.Replanned");
            RecordedEvent pinned = recorded.get(0);
            assertThat(pinned.getThread("worker").getJavaName()).isEqualTo("order-1");
            assertThat(pinned.getLong("nativeThreadId")).isEqualTo(4242);
            assertThat(pinned.getString("rule")).isEqualTo("orders");
            assertThat(pinned.getString("pool")).isEqualTo("thread-pool");
            assertThat(pinned.getString("cpus")).isEqualTo("0,2-3");
            assertThat(pinned.getBoolean("moved")).isTrue();
            assertThat(pinned.getDuration("pinTime").toNanos()).isEqualTo(12_345);
            assertThat(pinned.getThread().getJavaName()).as("the thread that pinned it").isEqualTo(
                    Thread.currentThread().getName());
            assertThat(recorded.get(1).getString("reason")).isEqualTo("Invalid argument (EINVAL)");
            assertThat(recorded.get(1).getString("cpus")).isEqualTo("7");
            assertThat(recorded.get(2).getString("reason")).isEqualTo("exit");
            RecordedEvent replanned = recorded.get(3);
            assertThat(replanned.getString("reason")).isEqualTo("re-attach");
            assertThat(replanned.getString("config")).isEqualTo("/etc/affinity.properties");
            assertThat(replanned.getString("outcome")).isEqualTo("pinned 2 running workers");
            assertThat(replanned.getString("ruleLoads")).isEqualTo("orders cpus=0-1 loads=1,1");
            assertThat(replanned.getInt("workersPinned")).isEqualTo(2);
            assertThat(replanned.getInt("workersKept")).isEqualTo(3);
            assertThat(replanned.getInt("workersReleased")).isEqualTo(1);
            assertThat(replanned.getInt("pinsFailed")).isEqualTo(4);
            for (RecordedEvent e : recorded) {
                assertThat(e.getStackTrace()).as(e.getEventType().getName()).isNull();
                assertThat(e.getEventType().getCategoryNames()).containsExactly("Affinity Agent");
                assertThat(e.getEventType().getLabel()).isNotBlank();
                assertThat(e.getEventType().getDescription()).isNotBlank();
            }
        } finally {
            end.countDown();
        }
    }

    @Test
    void aRecordingThatDisablesThemGetsNoneAndNothingIsWrittenWithoutARecording() throws Exception {
        AgentEvents events = AgentEvents.forThisJvm();
        events.workerPinned(null, 1, "before", "fork-join", CpuSet.of(0), false, 1); // no recording: nothing
        try (Recording r = new Recording()) {
            r.setName("disabled");
            r.disable("io.affinityagent.WorkerPinned");
            r.start();
            events.workerPinned(null, 2, "disabled", "fork-join", CpuSet.of(0), false, 1);
            events.workerReleased(null, 2, "disabled", CpuSet.of(0), "detach");
            r.stop();

            assertThat(agentEvents(r, "disabled")).extracting(e -> e.getEventType().getName())
                    .containsExactly("io.affinityagent.WorkerReleased");
            assertThat(agentEvents(r, "before")).isEmpty();
        }
    }

    /**
     * The agent's classes live in a class loader of their own (an unnamed module): events defined
     * there are recorded as well. Here a fresh loader over the same class files, with only the
     * JDK as its parent, as the agent's IsolatedClassLoader.
     */
    @Test
    void eventsOfClassesFromAnIsolatedClassLoaderAreRecorded() throws Exception {
        URL classes = AgentEvents.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader("isolated", new URL[] {classes},
                ClassLoader.getPlatformClassLoader());
             Recording r = new Recording(Configuration.getConfiguration("default"))) {
            r.setName("isolated");
            r.start();
            Class<?> eventsType = isolated.loadClass(AgentEvents.class.getName());
            assertThat(eventsType.getClassLoader()).isSameAs(isolated);
            Class<?> cpuSet = isolated.loadClass(CpuSet.class.getName());
            Object events = eventsType.getMethod("forThisJvm").invoke(null);
            Object cpus = cpuSet.getMethod("of", int[].class).invoke(null, (Object) new int[] {1});
            eventsType.getMethod("workerPinned", Thread.class, long.class, String.class, String.class, cpuSet,
                    boolean.class, long.class).invoke(events, Thread.currentThread(), 77L, "isolated", "any-thread", cpus,
                    false, 5L);
            r.stop();

            List<RecordedEvent> recorded = agentEvents(r, "isolated");
            assertThat(recorded).hasSize(1);
            assertThat(recorded.get(0).getLong("nativeThreadId")).isEqualTo(77);
            assertThat(recorded.get(0).getString("cpus")).isEqualTo("1");
        }
    }

    /**
     * A Java runtime without jdk.jfr (jlink'd without it; here --limit-modules java.base): no
     * events, and not one class of jdk.jfr loaded.
     */
    @Test
    void aRuntimeWithoutJdkJfrGetsNoEventsAndLoadsNoJfrClass() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        Process p = new ProcessBuilder(java, "--limit-modules", "java.base", "-Xlog:class+load=info", "-cp", classPath,
                NoJfrProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("events: null", "] " + AgentEvents.class.getName() + " source")
                .doesNotContain("jdk.jfr", "] " + FlightRecorderEvents.class.getName() + " source");
    }
}
