package io.affinityagent.it;

import com.sun.tools.attach.VirtualMachine;
import io.affinityagent.registry.StatusPublisher;
import java.util.Arrays;
import java.util.Properties;

/** Reads what the agent published in a target JVM, through the attach API (no agent is loaded). */
public final class AgentStatus {

    private AgentStatus() {
    }

    public static Properties read(long pid) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                return vm.getAgentProperties();
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            throw new AssertionError("cannot read the agent properties of " + pid + ": " + e, e);
        }
    }

    /** The per-CPU loads of a rule: "loads=1,0" becomes [1, 0]. */
    public static int[] loads(Properties props, String rule) {
        String value = props.getProperty(StatusPublisher.RULE + rule);
        if (value == null) {
            return null;
        }
        for (String part : value.split(" ")) {
            if (part.startsWith("loads=")) {
                return Arrays.stream(part.substring(6).split(",")).mapToInt(Integer::parseInt).toArray();
            }
        }
        throw new AssertionError("no loads in " + value);
    }

    /** A counter of a rule, e.g. "pinned". */
    public static long counter(Properties props, String rule, String name) {
        String value = props.getProperty(StatusPublisher.RULE + rule);
        for (String part : value.split(" ")) {
            if (part.startsWith(name + "=")) {
                return Long.parseLong(part.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in " + value);
    }
}
