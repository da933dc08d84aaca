package io.affinityagent.jfr;

/** Run by FlightRecorderEventsTest in a runtime without jdk.jfr: what the agent would get. */
final class NoJfrProbe {
    public static void main(String[] args) {
        System.out.println("events: " + AgentEvents.forThisJvm());
    }
}
