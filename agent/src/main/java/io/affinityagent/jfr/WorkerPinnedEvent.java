package io.affinityagent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * {@code io.affinityagent.WorkerPinned}. Enabled by default (a setting file such as the JDK's default
 * and profile .jfc that does not name it leaves its annotations in force), without a stack
 * trace: where a worker starts says nothing, and taking one costs. An instant event.
 */
@Name(FlightRecorderEvents.PREFIX + "WorkerPinned")
@Label("Worker Pinned")
@Category(FlightRecorderEvents.CATEGORY)
@Description("The agent pinned a worker thread to the CPUs of a rule")
@StackTrace(false)
final class WorkerPinnedEvent extends Event {

    @Label("Worker")
    Thread worker;

    @Label("Native Thread Id")
    @Description("The thread's id in /proc/PID/task")
    long nativeThreadId;

    @Label("Rule")
    String rule;

    @Label("Pool")
    @Description("thread-pool, fork-join, common-pool, virtual-scheduler or any-thread")
    String pool;

    @Label("CPUs")
    @Description("The CPUs the worker may run on now, in the kernel's list syntax")
    String cpus;

    @Label("Moved")
    @Description("Whether its mask changed (false when a re-plan gave it the CPUs it had)")
    boolean moved;

    @Label("Pin Time")
    @Description("The time the agent took to pin it, the system call included")
    @Timespan(Timespan.NANOSECONDS)
    long pinTime;
}
