package io.affinityagent.agent;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The JVM's agent properties (jdk.internal.vm.VMSupport): readable by any attach client without
 * loading an agent, invisible to the application's System.getProperties().
 */
final class JvmAgentProperties {

    private static final String PACKAGE = "jdk.internal.vm";

    private JvmAgentProperties() {
    }

    /** The live properties object, or null when this JVM does not have one we can reach. */
    static Properties open(Instrumentation inst) {
        try {
            Module javaBase = Object.class.getModule();
            Module self = JvmAgentProperties.class.getModule();
            if (!javaBase.isOpen(PACKAGE, self)) {
                inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of(PACKAGE, Set.of(self)), Set.of(), Map.of());
            }
            Object props = Class.forName(PACKAGE + ".VMSupport", true, null).getMethod("getAgentProperties").invoke(null);
            return props instanceof Properties ? (Properties) props : null;
        } catch (Throwable t) {
            return null;
        }
    }
}
