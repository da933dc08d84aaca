package io.affinityagent.cli;

import io.affinityagent.jmx.JmxRegistration;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jmx PID}: what JConsole does when it connects to a local JVM (start the JVM's local JMX
 * agent, which creates the platform MBeanServer), then read the agent's status, at which the
 * agent registers its MXBean in that server; prints the connector's address for any JMX client
 * and what the MXBean says, read through it.
 */
@Command(name = "jmx",
        description = {"Make the agent's MXBean (" + JmxRegistration.OBJECT_NAME + ") reachable over JMX, and print"
                + " the JVM's local JMX address.",
                "Starts the JVM's local JMX agent as JConsole and VisualVM do when they connect (the JVM keeps it, an RMI"
                        + " connector on a local port, until it exits), so the platform MBeanServer exists and the"
                        + " agent registers its MXBean there. JConsole, VisualVM and JMC do this by themselves: use"
                        + " this for other clients (the JMX exporter, Jolokia, scripts)."},
        mixinStandardHelpOptions = true)
final class JmxCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PID", description = "The JVM's process id.")
    long pid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws CliException {
        PrintWriter out = spec.commandLine().getOut();
        TargetProcess target = TargetProcess.vetForAttach(ProcFs.system(), pid);
        String address;
        AgentState agent;
        try (JvmConnection jvm = JvmConnection.open(target)) {
            address = jvm.startLocalManagementAgent();
            // The agent registers its MXBean when it sees the platform MBeanServer, which it
            // looks for as its status is read.
            agent = AgentState.of(jvm.agentProperties());
        }
        if (address == null) {
            throw new CliException("JVM " + pid + " started its JMX agent but published no local address");
        }
        out.println("JVM " + pid + ": local JMX connector " + address);
        out.println(mxBean(address, agent));
        return 0;
    }

    /** One line: whether the MXBean is there, and what it says. */
    private String mxBean(String address, AgentState agent) throws CliException {
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(JmxRegistration.OBJECT_NAME);
            if (!server.isRegistered(name)) {
                return "MXBean " + name + ": not registered (" + (agent.state() == AgentState.State.ABSENT
                        ? "affinity-agent is not loaded in this JVM" : "this agent (" + agent.version()
                        + ") does not register one") + ")";
            }
            CompositeData[] workers = (CompositeData[]) server.getAttribute(name, "Workers");
            CompositeData[] rules = (CompositeData[]) server.getAttribute(name, "Rules");
            return "MXBean " + name + ": " + server.getAttribute(name, "State") + ", "
                    + CheckCommand.count(rules.length, "rule") + ", " + CheckCommand.count(workers.length, "live worker")
                    + " pinned";
        } catch (IOException | javax.management.JMException e) {
            throw new CliException("cannot read the MXBean through " + address + ": " + e.getMessage());
        }
    }
}
