package io.affinityagent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code io.affinityagent.PinFailed}. Enabled by default (a setting file such as the JDK's default
 * and profile .jfc that does not name it leaves its annotations in force), without a stack
 * trace: where a worker starts says nothing, and taking one costs. An instant event.
 */
@Name(FlightRecorderEvents.PREFIX + "PinFailed")
@Label("Pin Failed")
@Category(FlightRecorderEvents.CATEGORY)
@Description("The agent could not pin a worker (the kernel refused the mask, or the agent failed); the worker runs unpinned")
@StackTrace(false)
final class PinFailedEvent extends Event {

    @Label("Worker")
    Thread worker;

    @Label("Native Thread Id")
    @Description("The thread's id in /proc/PID/task")
    long nativeThreadId;

    @Label("Rule")
    String rule;

    @Label("CPUs")
    @Description("The CPUs the worker was to be pinned to")
    String cpus;

    @Label("Reason")
    @Description("Why the pin failed")
    String reason;
}
