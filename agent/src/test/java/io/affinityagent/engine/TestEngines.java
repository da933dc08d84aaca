package io.affinityagent.engine;

import io.affinityagent.agent.LiveStatus;
import io.affinityagent.jdk.HookHandlers;
import io.affinityagent.jdk.HookInstallation;
import io.affinityagent.jdk.ThreadDiscovery;
import io.affinityagent.log.AgentLog;
import io.affinityagent.os.CpuAffinity;
import io.affinityagent.registry.HookTimes;
import io.affinityagent.registry.StatusPublisher;
import io.affinityagent.registry.WorkerRegistry;
import java.util.List;
import java.util.Properties;

/** Engines as the agent sets them up, for tests: no JDK hooks, no discovery, a plan in force. */
final class TestEngines {

    static final HookInstallation NO_HOOKS = new HookInstallation() {
        @Override
        public List<String> install(HookHandlers handlers, boolean hookThreadsNow) {
            return List.of();
        }

        @Override
        public List<String> hookThreads() {
            return List.of();
        }
    };

    private TestEngines() {
    }

    /** An engine, active with {@code plan}. */
    static PinningEngine started(Plan plan, WorkerRegistry registry, CpuAffinity affinity, AgentLog log) {
        PinningEngine engine = new PinningEngine(registry, new PinExecutor(affinity, registry, log), NO_HOOKS,
                ThreadDiscovery.NONE);
        engine.start(plan);
        return engine;
    }

    /** The status the agent would publish for {@code engine} into {@code published}. */
    static LiveStatus statusOf(PinningEngine engine, Properties published) {
        return new LiveStatus(new StatusPublisher(published), engine, new HookTimes(), null);
    }
}
