package io.affinityagent.agent;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.log.AgentLog;
import io.affinityagent.placement.PlanExplanation;

/** The start-up summary of a plan, in the words of {@link PlanExplanation}. */
final class PlanLines {

    private PlanLines() {
    }

    static void log(AgentLog log, AgentConfig config) {
        for (String line : new PlanExplanation(config).summaryLines()) {
            log.info(line);
        }
    }
}
