package io.affinityagent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code io.affinityagent.WorkerReleased}. Enabled by default (a setting file such as the JDK's default
 * and profile .jfc that does not name it leaves its annotations in force), without a stack
 * trace: where a worker starts says nothing, and taking one costs. An instant event.
 */
@Name(FlightRecorderEvents.PREFIX + "WorkerReleased")
@Label("Worker Released")
@Category(FlightRecorderEvents.CATEGORY)
@Description("A pinned worker gave its CPUs back: it exited, the agent was detached, or a new plan has no rule for it")
@StackTrace(false)
final class WorkerReleasedEvent extends Event {

    @Label("Worker")
    Thread worker;

    @Label("Native Thread Id")
    @Description("The thread's id in /proc/PID/task")
    long nativeThreadId;

    @Label("Rule")
    String rule;

    @Label("CPUs")
    @Description("The CPUs it had been pinned to")
    String cpus;

    @Label("Reason")
    @Description("exit, detach, or re-plan (no rule matches it any more)")
    String reason;
}
