package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.tools.attach.VirtualMachine;
import io.affinityagent.cpu.CpuSet;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's MXBean read as JConsole reads it (the JDK's local attach starts the JVM's local JMX
 * agent, then a JMXConnector), checked against /proc; its replan operation; an application with
 * its own MBeanServerBuilder; and {@code jmx PID}.
 */
class JmxIT {

    private static final ObjectName BEAN = name("io.affinityagent:type=AffinityAgent");

    @TempDir
    Path dir;

    private static ObjectName name(String n) {
        try {
            return new ObjectName(n);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path orders(String file, String cpus) {
        return Configs.writeAs(dir.resolve(file), "rules = orders", "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + cpus);
    }

    /** What JConsole does for a local JVM: attach, start its local JMX agent, connect. */
    private static JMXConnector connectAsJConsole(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        return JMXConnectorFactory.connect(new JMXServiceURL(address));
    }

    /** The MXBean's workers, native id to the CPUs it says were promised and the CPUs the kernel reports. */
    private static Map<Integer, String[]> workers(MBeanServerConnection server) throws Exception {
        Map<Integer, String[]> out = new HashMap<>();
        for (CompositeData w : (CompositeData[]) server.getAttribute(BEAN, "Workers")) {
            out.put(((Long) w.get("nativeId")).intValue(), new String[] {(String) w.get("promisedCpus"),
                    (String) w.get("kernelCpus"), (String) w.get("rule")});
        }
        return out;
    }

    private static void agreesWithProc(MBeanServerConnection server, List<Worker> workers) throws Exception {
        Map<Integer, String[]> seen = workers(server);
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(workers.stream().map(Worker::tid).toList());
        for (Worker w : workers) {
            String kernel = w.allowedCpus().toString();
            assertThat(seen.get(w.tid())).as(w.toString()).containsExactly(kernel, kernel, "orders");
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aJvmStartedWithTheAgentShowsItsWorkersAsProcDoesAndReplanRepinsThem(Jdk jdk) throws Exception {
        CpuSet first;
        Path bad = dir.resolve("bad.properties");
        try (TargetJvm jvm = TargetJvm.with(jdk).config(orders("all.properties", "all")).start()) {
            jvm.command("pool p fixed 2 order-");
            List<Worker> workers = jvm.occupy("p", 2);
            first = CpuSet.of(TargetAssertions.processCpus(jvm).first());
            try (JMXConnector c = connectAsJConsole(jvm.pid())) {
                MBeanServerConnection server = c.getMBeanServerConnection();
                assertThat(server.isRegistered(BEAN)).as("registered when the JMX agent started").isTrue();
                assertThat(server.getAttribute(BEAN, "State")).isEqualTo("active");
                agreesWithProc(server, workers);
                CompositeData workerStart = ((CompositeData[]) server.getAttribute(BEAN, "OwnTime"))[0];
                assertThat(workerStart.get("hook")).isEqualTo("worker-start");
                assertThat((Long) workerStart.get("laterPinCallNanos")).as("the pin call, apart from the own work")
                        .isBetween(0L, (Long) workerStart.get("laterNanos"));

                // A config with an error: refused with the file, line and key, as attach refuses it; the plan kept.
                Configs.writeAs(bad, "rules = orders",
                        "rule.orders.thread-name = order-*", "rule.orders.cpus = 0-");
                assertThatThrownBy(() -> server.invoke(BEAN, "replan", new Object[] {bad.toString()},
                        new String[] {String.class.getName()}))
                        .hasStackTraceContaining(bad + ":3: rule.orders.cpus: '0-'")
                        .hasStackTraceContaining("the agent keeps the rules of " + dir.resolve("all.properties"));
                assertThat(server.getAttribute(BEAN, "ConfigFile")).isEqualTo(dir.resolve("all.properties").toString());

                Path one = orders("one.properties", first.toString());
                String outcome = (String) server.invoke(BEAN, "replan", new Object[] {one.toString()},
                        new String[] {String.class.getName()});
                assertThat(outcome).startsWith("new config " + one + ": re-pinned ");
                assertThat(workers).allSatisfy(w -> assertThat(w.allowedCpus()).isEqualTo(first));
                assertThat(server.getAttribute(BEAN, "ConfigFile")).isEqualTo(one.toString());
                agreesWithProc(server, workers);

                String detached = (String) server.invoke(BEAN, "detach", new Object[0], new String[0]);
                assertThat(detached).startsWith("detached: gave 2 workers");
                CpuSet everything = TargetAssertions.processCpus(jvm);
                assertThat(workers).allSatisfy(w -> assertThat(w.allowedCpus()).isEqualTo(everything));
                assertThat(server.getAttribute(BEAN, "State")).isEqualTo("detached");
            }
            assertThat(jvm.agentLines()).as("the refused config is the only problem said")
                    .filteredOn(l -> l.startsWith("error:") || l.startsWith("warning:"))
                    .allMatch(l -> l.contains(bad.toString()) || l.contains("the config has 1 error"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void aJvmAttachedAtRunTimeShowsItsWorkersAsProcDoesAndJmxSaysSo(Jdk jdk) throws Exception {
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            jvm.command("pool p fixed 2 order-");
            List<Worker> workers = jvm.occupy("p", 2);
            AgentCli.Result attach = AgentCli.on(jdk).execute("attach", Long.toString(jvm.pid()), "--config",
                    orders("all.properties", "all").toString());
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            try (JMXConnector c = connectAsJConsole(jvm.pid())) {
                MBeanServerConnection server = c.getMBeanServerConnection();
                assertThat(server.isRegistered(BEAN)).isTrue();
                agreesWithProc(server, workers);
            }
            AgentCli.Result jmx = AgentCli.on(jdk).execute("jmx", Long.toString(jvm.pid()));
            assertThat(jmx.exitCode()).as(jmx.toString()).isZero();
            assertThat(jmx.stdout()).contains("MXBean io.affinityagent:type=AffinityAgent: active, 1 rule, 2 live workers"
                    + " pinned");
        }
    }

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void anApplicationWithItsOwnMBeanServerBuilderGetsItsOwnServerAndTheMxBeanIsInIt(Jdk jdk) throws Exception {
        try (TargetJvm jvm = TargetJvm.with(jdk).config(orders("all.properties", "all"))
                .jvmOption("-Djavax.management.builder.initial=io.affinityagent.it.apps.OwnMBeanServerApp$Builder")
                .main("io.affinityagent.it.apps.OwnMBeanServerApp").start()) {
            // Workers pinned before the application makes its server: the agent must not make it.
            jvm.command("pool p fixed 2 order-");
            jvm.occupy("p", 2);
            assertThat(jvm.command("platform-server")).endsWith("own=true");
            jvm.agentProperties(); // a status read, as a JMX console's attach makes one
            assertThat(jvm.command("registered")).endsWith("registered=true");
            TargetAssertions.noAgentProblems(jvm);
        }
    }

    private static final Pattern ADDRESS = Pattern.compile("(?m)^JVM \\d+: local JMX connector (service:jmx:\\S+)$");

    @ParameterizedTest
    @MethodSource("io.affinityagent.it.Jdk#all")
    void withoutTheAgentTheConnectorIsStartedAndTheMxBeanIsSaidToBeMissing(Jdk jdk) throws Exception {
        try (TargetJvm jvm = TargetJvm.with(jdk).start()) {
            AgentCli.Result r = AgentCli.on(jdk).execute("jmx", Long.toString(jvm.pid()));

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("MXBean io.affinityagent:type=AffinityAgent: not registered (affinity-agent"
                    + " is not loaded in this JVM)");
            Matcher m = ADDRESS.matcher(r.stdout());
            assertThat(m.find()).as(r.stdout()).isTrue();
            try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(m.group(1)))) {
                MBeanServerConnection server = c.getMBeanServerConnection();
                assertThat(server.getAttribute(new ObjectName("java.lang:type=Runtime"), "Pid")).isEqualTo(jvm.pid());
            }
        }
    }
}
