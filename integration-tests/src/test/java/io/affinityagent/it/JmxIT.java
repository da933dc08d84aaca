package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code jmx PID}: the JVM's local JMX connector, started as JConsole starts it, and the agent's MXBean in it. */
class JmxIT {

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
