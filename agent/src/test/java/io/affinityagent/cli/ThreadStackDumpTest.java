package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.advice.SeenThread;
import io.affinityagent.advice.ThreadKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real dumps (jcmd PID Thread.print) of the app in thread-dumps/DumpApp.java.txt on JDK 17 and
 * 25: a fixed pool, a ForkJoinPool, the common pool, a plain thread, a Thread subclass, a Timer, a
 * scheduled pool.
 */
class ThreadStackDumpTest {

    private static ThreadStackDump dump(String name) throws IOException {
        try (InputStream in = ThreadStackDumpTest.class.getResourceAsStream("/thread-dumps/" + name)) {
            return ThreadStackDump.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static SeenThread seen(ThreadStackDump dump, String name) {
        for (ThreadStackDump.Entry e : dump.entries()) {
            if (e.name.equals(name)) {
                return e.seen;
            }
        }
        throw new AssertionError("no thread " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-pools.txt", "jdk25-pools.txt"})
    void everyThreadIsNamedInFullWithItsNativeIdAndKind(String file) throws IOException {
        ThreadStackDump d = dump(file);

        assertThat(seen(d, "pool-1-thread-1").kind()).isEqualTo(ThreadKind.THREAD_POOL);
        assertThat(seen(d, "pool-1-thread-1").poolClass()).isEqualTo("java.util.concurrent.ThreadPoolExecutor");
        assertThat(seen(d, "ForkJoinPool-1-worker-1").kind()).isEqualTo(ThreadKind.FORK_JOIN);
        assertThat(seen(d, "ForkJoinPool.commonPool-worker-1").kind()).isEqualTo(ThreadKind.COMMON_POOL);
        assertThat(seen(d, "plain-sleeper").kind()).isEqualTo(ThreadKind.PLAIN_THREAD);
        assertThat(seen(d, "plain-sleeper").poolClass()).isEqualTo("DumpApp");
        assertThat(seen(d, "sub-sleeper").kind()).isEqualTo(ThreadKind.THREAD_SUBCLASS);
        assertThat(seen(d, "sub-sleeper").poolClass()).isEqualTo("DumpApp$1");
        assertThat(seen(d, "my-timer").kind()).isEqualTo(ThreadKind.THREAD_SUBCLASS);
        assertThat(seen(d, "my-timer").poolClass()).isEqualTo("java.util.TimerThread");
        assertThat(seen(d, "Common-Cleaner").kind()).as("InnocuousThread.run calls Thread.run")
                .isEqualTo(ThreadKind.PLAIN_THREAD);
        assertThat(seen(d, "main").kind()).isEqualTo(ThreadKind.MAIN);
        assertThat(seen(d, "VM Thread").kind()).isEqualTo(ThreadKind.JVM);
        assertThat(seen(d, "Signal Dispatcher").kind()).isEqualTo(ThreadKind.JVM);
        List<ThreadStackDump.Entry> orders = d.entries().stream().filter(e -> e.name.startsWith("order-")).toList();
        assertThat(orders).hasSize(2).allSatisfy(e -> assertThat(e.seen.kind()).isEqualTo(ThreadKind.THREAD_POOL));
        for (ThreadStackDump.Entry e : d.entries()) {
            assertThat(d.byNativeId(e.nativeId)).isSameAs(e);
            assertThat(e.nativeId).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17-pools.txt", "jdk25-pools.txt"})
    void nativeIdsAreReadInHexOnJdk17AndDecimalLater(String file) throws IOException {
        ThreadStackDump d = dump(file);
        // JDK 17: nid=0x5bdf; JDK 25: "[23658]" and nid=23658. Both give the Linux tid.
        ThreadStackDump.Entry common = d.entries().stream()
                .filter(e -> e.name.equals("ForkJoinPool.commonPool-worker-1")).findFirst().orElseThrow();
        assertThat(common.nativeId).isEqualTo(file.startsWith("jdk17") ? 0x5bdb : 23658);
        assertThat(common.javaId).isEqualTo(file.startsWith("jdk17") ? 15 : 25);
    }

    @org.junit.jupiter.api.Test
    void serverThreadsAreRecognisedBehindTheirWrappers() {
        String tomcat = "\"http-nio-127.0.0.1-8080-exec-1\" #40 daemon prio=5 os_prio=0 cpu=1ms elapsed=1s"
                + " tid=0x00007f0000000001 nid=4001 waiting on condition\n"
                + "\tat jdk.internal.misc.Unsafe.park(java.base@21/Native Method)\n"
                + "\tat org.apache.tomcat.util.threads.TaskQueue.take(TaskQueue.java:122)\n"
                + "\tat org.apache.tomcat.util.threads.ThreadPoolExecutor.getTask(ThreadPoolExecutor.java:1122)\n"
                + "\tat org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1182)\n"
                + "\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)\n"
                + "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)\n"
                + "\tat java.lang.Thread.runWith(java.base@21/Thread.java:1596)\n"
                + "\tat java.lang.Thread.run(java.base@21/Thread.java:1583)\n"
                + "\n"
                + "\"multiThreadIoEventLoopGroup-2-1\" #41 prio=5 tid=0x00007f0000000002 nid=4002 runnable\n"
                + "\tat io.netty.channel.nio.NioIoHandler.run(NioIoHandler.java:1)\n"
                + "\tat io.netty.channel.SingleThreadIoEventLoop.run(SingleThreadIoEventLoop.java:1)\n"
                + "\tat io.netty.util.concurrent.SingleThreadEventExecutor$5.run(SingleThreadEventExecutor.java:1)\n"
                + "\tat io.netty.util.internal.ThreadExecutorMap$2.run(ThreadExecutorMap.java:74)\n"
                + "\tat io.netty.util.concurrent.FastThreadLocalRunnable.run(FastThreadLocalRunnable.java:30)\n"
                + "\tat java.lang.Thread.run(java.base@17/Thread.java:840)\n";
        ThreadStackDump d = ThreadStackDump.parse(tomcat);

        assertThat(d.byNativeId(4001).seen.kind()).isEqualTo(ThreadKind.PLAIN_THREAD);
        assertThat(d.byNativeId(4001).seen.poolClass()).isEqualTo("org.apache.tomcat.util.threads.ThreadPoolExecutor");
        assertThat(d.byNativeId(4002).seen.kind()).isEqualTo(ThreadKind.PLAIN_THREAD);
        assertThat(d.byNativeId(4002).seen.poolClass()).isEqualTo("io.netty.util.concurrent.SingleThreadEventExecutor");
        assertThat(d.byNativeId(4001).name).isEqualTo("http-nio-127.0.0.1-8080-exec-1");
    }
}
