package io.affinityagent.jfr;

import io.affinityagent.cpu.CpuSet;

/**
 * Writes the agent's events to the JDK Flight Recorder. Each method first asks the event whether
 * a recording wants it ({@code shouldCommit()}): with no recording running that is a field read
 * (before any recording ever ran, the event classes are not even instrumented and it is a
 * constant false), and the event object does not escape, so nothing is allocated once compiled.
 * A worker's start and exit ask first through one shared event whether its type is enabled at
 * all, so that they allocate nothing before they are compiled either (a new thread's first
 * allocation sets up its allocation buffer: see engine.HookEvents).
 */
final class FlightRecorderEvents implements AgentEvents {

    /** The events' type names: io.affinityagent.WorkerPinned, ... */
    static final String PREFIX = "io.affinityagent.";
    /** Where JMC lists them. */
    static final String CATEGORY = "Affinity Agent";

    /** Never committed: asked only {@code isEnabled()}, which reads the event type's state, not the instance's. */
    private static final WorkerPinnedEvent PINNED_TYPE = new WorkerPinnedEvent();
    private static final WorkerReleasedEvent RELEASED_TYPE = new WorkerReleasedEvent();

    @Override
    public void workerPinned(Thread worker, long nativeId, String rule, String poolKind, CpuSet cpus, boolean moved,
                             long pinNanos) {
        if (!PINNED_TYPE.isEnabled()) {
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
        if (!RELEASED_TYPE.isEnabled()) {
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
    public void replanned(String reason, String config, String outcome, String ruleLoads, int pinned, int kept,
                          int released, int failed) {
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
