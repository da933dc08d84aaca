package io.affinityagent.agent;

import io.affinityagent.config.AgentConfig;
import io.affinityagent.log.AgentLog;
import io.affinityagent.placement.PlanExplanation;
import java.util.List;

/** The start-up summary of a plan, in the words of {@link PlanExplanation}. */
final class PlanLines {

    private PlanLines() {
    }

    static void log(AgentLog log, AgentConfig config) {
        for (String line : of(config)) {
            log.info(line);
        }
    }

    static List<String> of(AgentConfig config) {
        return new PlanExplanation(config).summaryLines();
    }
}
