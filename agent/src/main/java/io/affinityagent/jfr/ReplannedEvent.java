package io.affinityagent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code io.affinityagent.Replanned}. Enabled by default (a setting file such as the JDK's default
 * and profile .jfc that does not name it leaves its annotations in force), without a stack
 * trace: where a worker starts says nothing, and taking one costs. An instant event.
 */
@Name(FlightRecorderEvents.PREFIX + "Replanned")
@Label("Replanned")
@Category(FlightRecorderEvents.CATEGORY)
@Description("The agent made its plan: at attach, at a new config (re-attach), at detach, or when the process's CPUs changed")
@StackTrace(false)
final class ReplannedEvent extends Event {

    @Label("Reason")
    @Description("attach, re-attach, jmx, cpuset-change, detach")
    String reason;

    @Label("Config")
    String config;

    @Label("Outcome")
    @Description("What the command line says of it")
    String outcome;

    @Label("Rule Loads")
    @Description("Each rule with its CPUs and the workers on each of them, after the re-plan")
    String ruleLoads;

    @Label("Workers Pinned")
    @Description("Running workers pinned to new CPUs")
    int workersPinned;

    @Label("Workers Kept")
    @Description("Running workers left on the CPUs they had")
    int workersKept;

    @Label("Workers Released")
    @Description("Workers given the process's CPUs back")
    int workersReleased;

    @Label("Pins Failed")
    int pinsFailed;
}
