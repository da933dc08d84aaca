package io.affinityagent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.hostlock.HostLockTable;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exclusive = true} across JVMs on one host: JVMs with the same rule never share a CPU,
 * one that finds every CPU held does what {@code when-held} says, a kill -9 frees the CPU for the
 * next JVM, and OpenHFT's own {@code AffinityLock} and the agent keep off each other's CPUs in
 * either order. Real JVMs, the masks read from /proc, the locks from the lock folder.
 */
class ExclusiveCpusIT {

    private static final String OPENHFT_LIBS = System.getProperty("affinity.test.openhft-libs", "target/openhft-libs");

    @TempDir
    Path dir;
    private Path locks;
    private int a;
    private int b;
    private final List<TargetJvm> jvms = new ArrayList<>();

    @BeforeEach
    void twoCpusAndAFolder() throws IOException {
        int[] own = ProcFs.system().selfAllowedCpus().toArray();
        Assumptions.assumeTrue(own.length >= 2, "needs 2 CPUs; this process may use " + own.length);
        a = own[0];
        b = own[1];
        locks = Files.createDirectory(dir.resolve("locks"));
    }

    @org.junit.jupiter.api.AfterEach
    void stopEveryJvm() {
        for (TargetJvm jvm : jvms) {
            jvm.close(); // the lock folder goes with the temporary directory
        }
    }

    private Path config(String name, String whenHeld) {
        return Configs.writeAs(dir.resolve(name + ".properties"),
                "rules = orders",
                "rule.orders.thread-name = order-*",
                "rule.orders.cpus = " + a + "," + b,
                "rule.orders.exclusive = true",
                whenHeld == null ? "" : "rule.orders.when-held = " + whenHeld,
                "lock-dir = " + locks);
    }

    private TargetJvm start(Path config) {
        TargetJvm jvm = TargetJvm.with(Jdk.current()).config(config).start();
        jvms.add(jvm);
        return jvm;
    }

    private static CpuSet oneWorker(TargetJvm jvm) {
        jvm.command("pool p fixed 1 order-");
        return jvm.occupy("p", 1).get(0).allowedCpus();
    }

    @Test
    void twoJvmsTakeDifferentCpusAThirdRunsUnpinnedAndAKill9FreesTheCpuForTheNext() throws IOException {
        Path config = config("exclusive", null);
        TargetJvm first = start(config);
        CpuSet x = oneWorker(first);
        TargetJvm second = start(config);
        CpuSet y = oneWorker(second);
        assertThat(x.size()).isEqualTo(1);
        assertThat(y.size()).isEqualTo(1);
        assertThat(x.union(y)).as("one CPU each, never the same").isEqualTo(CpuSet.of(a, b));

        TargetJvm third = start(config("unpinned", "unpinned"));
        CpuSet thirds = oneWorker(third);
        assertThat(thirds).as("unpinned: the process's CPUs").isEqualTo(TargetAssertions.processCpus(third));
        assertThat(third.agentLines()).anySatisfy(l -> assertThat(l).isEqualTo("warning: rule orders: every CPU of the"
                + " rule (" + CpuSet.of(a, b) + ") is held host-wide by another process; \"order-1\" runs unpinned on the"
                + " process's CPUs (when-held = unpinned); later workers of this rule are not reported"));

        // status of the second: what it holds, and who holds the rest.
        AgentCli.Result status = AgentCli.run("status", Long.toString(second.pid()));
        assertThat(status.exitCode()).as("%s", status).isZero();
        assertThat(status.stdout()).contains("host-wide CPU locks in " + locks + ": this JVM holds CPU " + y);
        assertThat(status.stdout()).containsPattern("(?m)^\\s+" + x + "\\s+" + first.pid() + "\\s+root\\s+.*affinity-agent rule=orders");
        assertThat(status.stdout()).containsPattern("(?m)^\\s+" + y + "\\s+" + second.pid() + "\\s+root\\s+.*this JVM");

        first.kill9();
        TargetJvm fourth = start(config);
        assertThat(oneWorker(fourth)).as("the CPU the killed JVM held").isEqualTo(x);
        assertThat(holder(x)).isEqualTo(fourth.pid());
        for (TargetJvm jvm : List.of(second, fourth)) {
            TargetAssertions.quietApartFromTheAgent(jvm);
            TargetAssertions.noAgentProblems(jvm);
        }
    }

    @Test
    void aWaitingWorkerIsPinnedWhenTheHolderLetsGoAndDetachReleasesItsCpu() throws IOException {
        TargetJvm holder = start(config("exclusive", null));
        holder.command("pool p fixed 2 order-");
        assertThat(TargetAssertions.countByMask(holder.occupy("p", 2))).hasSize(2); // both CPUs, one each

        TargetJvm waiter = start(config("wait", "wait"));
        waiter.command("pool p fixed 1 order-");
        Worker worker = waiter.occupy("p", 1).get(0);
        assertThat(worker.allowedCpus()).isEqualTo(TargetAssertions.processCpus(waiter));
        waiter.awaitStderr(l -> l.contains("rule orders: every CPU of the rule") && l.contains("is pinned as soon as one"
                + " frees (when-held = wait)"));

        // The holder's workers end (its JVM goes on): their CPUs are let go, and the waiter takes one.
        holder.command("release p");
        holder.command("shutdown p");
        String pinned = waiter.awaitStderr(l -> l.startsWith("[affinity-agent] rule orders: CPU ") && l.endsWith(
                "freed; \"order-1\" pinned to it"));
        CpuSet cpu = worker.allowedCpus();
        assertThat(cpu.size()).isEqualTo(1);
        assertThat(pinned).contains("CPU " + cpu + " freed");
        assertThat(holder(cpu.first())).isEqualTo(waiter.pid());

        AgentCli.Result detach = AgentCli.run("detach", Long.toString(waiter.pid()));
        assertThat(detach.exitCode()).as("%s", detach).isZero();
        assertThat(worker.allowedCpus()).isEqualTo(TargetAssertions.processCpus(waiter));
        assertThat(holder(cpu.first())).as("nobody holds it after detach").isEqualTo(-1);
    }

    @Test
    void openHftsAffinityLockAndTheAgentKeepOffEachOthersCpusInEitherOrder() {
        // OpenHFT first: it takes a CPU (its default keeps CPU 0 for the OS); the agent's rule on
        // CPU 0 and that one puts its worker on CPU 0.
        TargetJvm openhft = startOpenHft();
        String[] locked = openhft.awaitStdout(l -> l.startsWith("LOCKED ")).split(" ");
        int taken = Integer.parseInt(locked[1]);
        Assumptions.assumeTrue(taken >= 0 && taken != a, "OpenHFT took no CPU other than " + a + " here: " + taken);
        b = taken;
        TargetJvm agent = start(config("exclusive", null));
        assertThat(oneWorker(agent)).as("the CPU OpenHFT does not hold").isEqualTo(CpuSet.of(a));
        openhft.close();
        agent.close();

        // The agent first, holding both CPUs of its rule: OpenHFT's lock takes neither.
        TargetJvm agentFirst = start(config("exclusive-2", null));
        agentFirst.command("pool p fixed 2 order-");
        assertThat(TargetAssertions.countByMask(agentFirst.occupy("p", 2))).hasSize(2);
        TargetJvm openhftSecond = startOpenHft();
        int second = Integer.parseInt(openhftSecond.awaitStdout(l -> l.startsWith("LOCKED ")).split(" ")[1]);
        assertThat(second).as("OpenHFT's CPU (-1: none free)").isNotIn(a, b);
        TargetAssertions.noAgentProblems(agentFirst);
    }

    private TargetJvm startOpenHft() {
        String cp = TargetJvm.APPS_CLASSPATH + java.io.File.pathSeparator + OPENHFT_LIBS + "/*";
        TargetJvm jvm = TargetJvm.with(Jdk.current()).classpath(cp).jvmOption("-Djava.io.tmpdir=" + locks)
                .main("io.affinityagent.it.apps.OpenHftLockApp").launch();
        jvms.add(jvm);
        return jvm;
    }

    /** The pid holding the CPU's lock file, as the kernel says; -1 when nobody does. */
    private long holder(int cpu) throws IOException {
        for (HostLockTable.Entry e : HostLockTable.read(locks)) {
            if (e.cpu() == cpu) {
                return e.held() ? e.pid() : -1;
            }
        }
        return -1;
    }

    private long holder(CpuSet cpu) throws IOException {
        return holder(cpu.first());
    }

}
