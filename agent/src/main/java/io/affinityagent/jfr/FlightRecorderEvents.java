package io.affinityagent.jfr;

import io.affinityagent.cpu.CpuSet;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * Writes the agent's events to the JDK Flight Recorder. Each method first asks whether the
 * recorder was ever started in this JVM ({@code FlightRecorder.isInitialized()}, a static field
 * read): until then no event class is touched, since loading the first one sets up JFR's event
 * machinery (a hundred classes, generated handlers), which would be the largest part of the
 * agent's start-up. Once the recorder is up it asks the event whether a recording wants it
 * ({@code shouldCommit()}), and the event object does not escape, so nothing is allocated once
 * compiled. A pin, which a new worker makes, first asks the event's type whether any recording
 * has it on (a field read), so that it allocates no event even where the compiler keeps the
 * object: without a recording a worker's start allocates nothing here (a new thread's first
 * allocation sets up its allocation buffer, on the agent's clock: see engine.HookEvents).
 */
final class FlightRecorderEvents implements AgentEvents {

    /** The events' type names: io.affinityagent.WorkerPinned, ... */
    static final String PREFIX = "io.affinityagent.";
    /** Where JMC lists them. */
    static final String CATEGORY = "Affinity Agent";

    /** WorkerPinned's type, looked up once the recorder is up; null before. */
    private volatile EventType workerPinnedType;

    @Override
    public void workerPinned(Thread worker, long nativeId, String rule, String poolKind, CpuSet cpus, boolean moved,
                             long pinNanos) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        EventType type = workerPinnedType;
        if (type == null) {
            type = EventType.getEventType(WorkerPinnedEvent.class);
            workerPinnedType = type;
        }
        if (!type.isEnabled()) {
            return;
        }
        WorkerPinnedEvent e = new WorkerPinnedEvent();
        if (e.shouldCommit()) {
            e.worker = worker;
            e.nativeThreadId = nativeId;
            e.rule = rule;
            e.pool = poolKind;
            e.cpus = cpus == null ? null : cpus.toString();
            e.moved = moved;
            e.pinTime = pinNanos;
            e.commit();
        }
    }

    @Override
    public void workerReleased(Thread worker, long nativeId, String rule, CpuSet cpus, String reason) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        WorkerReleasedEvent e = new WorkerReleasedEvent();
        if (e.shouldCommit()) {
            e.worker = worker;
            e.nativeThreadId = nativeId;
            e.rule = rule;
            e.cpus = cpus == null ? null : cpus.toString();
            e.reason = reason;
            e.commit();
        }
    }

    @Override
    public void pinFailed(Thread worker, long nativeId, String rule, CpuSet cpus, String reason) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        PinFailedEvent e = new PinFailedEvent();
        if (e.shouldCommit()) {
            e.worker = worker;
            e.nativeThreadId = nativeId;
            e.rule = rule;
            e.cpus = cpus == null ? null : cpus.toString();
            e.reason = reason;
            e.commit();
        }
    }

    @Override
    public boolean mayRecord() {
        return FlightRecorder.isInitialized();
    }

    @Override
    public void replanned(String reason, String config, String outcome, String ruleLoads, int pinned, int kept,
                          int released, int failed) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        ReplannedEvent e = new ReplannedEvent();
        if (e.shouldCommit()) {
            e.reason = reason;
            e.config = config;
            e.outcome = outcome;
            e.ruleLoads = ruleLoads;
            e.workersPinned = pinned;
            e.workersKept = kept;
            e.workersReleased = released;
            e.pinsFailed = failed;
            e.commit();
        }
    }
}
