package io.affinityagent.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.affinityagent.os.ProcFs;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MXBean as a JMX client sees it: open types only (what JConsole shows), and a proxy of the
 * interface. In a server of the test's own, not the platform one.
 */
class AffinityAgentBeanTest {

    private final FixedReadModel model = new FixedReadModel();
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private ObjectName name;

    @BeforeEach
    void register() throws Exception {
        name = new ObjectName(JmxRegistration.OBJECT_NAME);
        server.registerMBean(new AffinityAgentBean(model, "0.1.0", ProcFs.system()), name);
    }

    @Test
    void thePlanItsRulesCountersAndOwnTimeAreOpenData() throws Exception {
        assertThat(server.getAttribute(name, "Version")).isEqualTo("0.1.0");
        assertThat(server.getAttribute(name, "State")).isEqualTo("active");
        assertThat(server.getAttribute(name, "ConfigFile")).isEqualTo("/etc/affinity.properties");
        assertThat(server.getAttribute(name, "Backend")).isEqualTo("JNI helper (x86-64)");
        assertThat(server.getAttribute(name, "ProcessCpus")).isEqualTo("0-3");
        CompositeData[] rules = (CompositeData[]) server.getAttribute(name, "Rules");
        assertThat(rules).hasSize(2);
        assertThat(rules[0].get("name")).isEqualTo("orders");
        assertThat(rules[0].get("selectors")).isEqualTo("thread-name=order-*");
        assertThat(rules[0].get("cpus")).isEqualTo("0-1");
        assertThat(rules[0].get("strategy")).isEqualTo("round-robin");
        assertThat((int[]) rules[0].get("loads")).containsExactly(1, 1);
        assertThat(rules[0].get("workers")).isEqualTo(2);
        assertThat(rules[1].get("failed")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "WorkersMatched")).isEqualTo(8L);
        assertThat(server.getAttribute(name, "WorkersPinned")).isEqualTo(7L);
        assertThat(server.getAttribute(name, "PinsFailed")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "WorkersExited")).isEqualTo(1L);
        CompositeData[] own = (CompositeData[]) server.getAttribute(name, "OwnTime");
        assertThat(own[0].get("hook")).isEqualTo("worker-start");
        assertThat((double) own[0].get("laterMeanMicros")).isCloseTo(239.6, org.assertj.core.data.Offset.offset(0.05));
        assertThat((double) own[0].get("laterPinCallMeanMicros")).isCloseTo(234.6, org.assertj.core.data.Offset.offset(0.05));
        assertThat((double) own[0].get("laterOwnMeanMicros")).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void eachWorkerShowsTheCpusTheKernelReportsReadWhenAsked() throws Exception {
        ProcFs proc = ProcFs.system();
        int tid = proc.currentThreadId();
        String kernel = proc.threadAllowedCpus(proc.selfPid(), tid).toString();
        model.workers.add(WorkerSnapshot.of(Thread.currentThread().getName(), tid, "orders", "thread-pool", kernel));
        model.workers.add(WorkerSnapshot.of("gone-1", Integer.MAX_VALUE, "orders", "thread-pool", "1"));

        CompositeData[] workers = (CompositeData[]) server.getAttribute(name, "Workers");

        assertThat(workers).hasSize(2);
        assertThat(workers[0].get("javaName")).isEqualTo(Thread.currentThread().getName());
        assertThat(workers[0].get("nativeId")).isEqualTo((long) tid);
        assertThat(workers[0].get("rule")).isEqualTo("orders");
        assertThat(workers[0].get("pool")).isEqualTo("thread-pool");
        assertThat(workers[0].get("kernelCpus")).isEqualTo(kernel);
        assertThat((int) workers[0].get("lastCpu")).isNotNegative();
        assertThat(workers[0].get("wherePromised")).isEqualTo(true);
        assertThat(workers[1].get("kernelCpus")).as("no such thread").isNull();
        assertThat(workers[1].get("wherePromised")).isEqualTo(false);
    }

    @Test
    void replanAndDetachAnswerAsTheCommandLineAndABadConfigIsRefused() throws Exception {
        assertThat(server.invoke(name, "replan", new Object[] {"/etc/new.properties"}, new String[] {"java.lang.String"}))
                .isEqualTo("pinned 2 running workers in 3 ms");
        assertThatThrownBy(() -> server.invoke(name, "replan", new Object[] {"/etc/bad.properties"},
                new String[] {"java.lang.String"}))
                .isInstanceOf(RuntimeMBeanException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .rootCause().hasMessageContaining("/etc/bad.properties:7: error: rule.orders.cpus:");
        assertThatThrownBy(() -> server.invoke(name, "replan", new Object[] {" "}, new String[] {"java.lang.String"}))
                .rootCause().hasMessage("replan needs the path of a config file the JVM can read");
        assertThat(server.invoke(name, "detach", new Object[0], new String[0]))
                .isEqualTo("detached: 2 workers got the process's CPUs back");
        assertThat(model.commands).containsExactly("replan /etc/new.properties", "detach");
    }

    @Test
    void aProxyOfTheInterfaceReadsTheSame() {
        AffinityAgentMXBean proxy = JMX.newMXBeanProxy(server, name, AffinityAgentMXBean.class);

        assertThat(proxy.getRules()).extracting(RuleSnapshot::getName).containsExactly("orders", "batch");
        assertThat(proxy.getRules().get(1).getLoads()).containsExactly(4);
        assertThat(proxy.getOwnTime().get(0).getLaterCalls()).isEqualTo(2003);
        assertThat(proxy.getOwnTime().get(0).getLaterPinCallNanos()).isEqualTo(469_900_000);
    }
}
