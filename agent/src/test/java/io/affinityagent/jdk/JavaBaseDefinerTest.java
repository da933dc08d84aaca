package io.affinityagent.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.bootstrap.NativeCalls;
import io.affinityagent.bootstrap.WorkerHooks;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

class JavaBaseDefinerTest {

    private static final String AGENT_PACKAGE = "io/affinityagent";

    /** WorkerHooks as the agent would define it in java.base, renamed once more to a test name. */
    private Class<?> hooks;
    private final List<Object[]> starts = new ArrayList<>();
    private final List<Thread> exits = new ArrayList<>();

    @BeforeEach
    void defineRenamedHooks() throws Exception {
        byte[] inJavaBase = JavaBaseDefiner.renamed(WorkerHooks.class);
        byte[] testName = ClassFileRenamer.rename(inJavaBase, "jdk/internal/misc/AffinityAgentWorkerHooks",
                "test/RenamedHooks");
        hooks = new ThrowawayClassLoader().define(testName);
    }

    private void setStartHandler(BiConsumer<Object, Thread> handler) throws ReflectiveOperationException {
        hooks.getField("onWorkerStart").set(null, handler);
    }

    private void setExitHandler(Consumer<Thread> handler) throws ReflectiveOperationException {
        hooks.getField("onWorkerExit").set(null, handler);
    }

    private void call(String method, Class<?> parameterType, Object argument) throws Exception {
        try {
            if (parameterType == null) {
                hooks.getMethod(method).invoke(null);
            } else {
                hooks.getMethod(method, parameterType).invoke(null, argument);
            }
        } catch (InvocationTargetException e) {
            throw new AssertionError(method + " threw into its caller", e.getCause());
        }
    }

    @Test
    void namesInJavaBase() {
        assertThat(JavaBaseDefiner.nameInJavaBase(WorkerHooks.class)).isEqualTo("jdk.internal.misc.AffinityAgentWorkerHooks");
        assertThat(JavaBaseDefiner.nameInJavaBase(NativeCalls.class)).isEqualTo("jdk.internal.misc.AffinityAgentNativeCalls");
        assertThat(JavaBaseDefiner.findDefined(WorkerHooks.class)).as("no agent in this JVM").isNull();
    }

    @Test
    void renamedWorkerHooksNoLongerMentionsTheAgent() throws Exception {
        byte[] original = ClassFileRenamerTest.classBytes(WorkerHooks.class);
        assertThat(ClassFileRenamer.mentions(original, AGENT_PACKAGE)).isTrue();

        byte[] renamed = JavaBaseDefiner.renamed(WorkerHooks.class);

        assertThat(ClassFileRenamer.mentions(renamed, AGENT_PACKAGE)).isFalse();
        assertThat(new ClassReader(renamed).getClassName()).isEqualTo("jdk/internal/misc/AffinityAgentWorkerHooks");
    }

    @Test
    void renamedNativeCallsNoLongerMentionsTheAgentAndKeepsItsNativeMethods() throws Exception {
        byte[] renamed = JavaBaseDefiner.renamed(NativeCalls.class);

        assertThat(ClassFileRenamer.mentions(renamed, AGENT_PACKAGE)).isFalse();
        assertThat(new ClassReader(renamed).getClassName()).isEqualTo("jdk/internal/misc/AffinityAgentNativeCalls");

        Class<?> c = new ThrowawayClassLoader().define(ClassFileRenamer.rename(renamed,
                "jdk/internal/misc/AffinityAgentNativeCalls", "test/RenamedNativeCalls"));
        assertThat(c.getName()).isEqualTo("test.RenamedNativeCalls");
        for (String name : new String[] {"setAffinity", "getAffinity"}) {
            Method m = c.getMethod(name, int.class, long[].class);
            assertThat(Modifier.isNative(m.getModifiers())).as(name).isTrue();
            assertThat(Modifier.isStatic(m.getModifiers())).as(name).isTrue();
        }
        assertThat(Modifier.isNative(c.getMethod("gettid").getModifiers())).isTrue();
        assertThat(Modifier.isNative(c.getMethod("getcpu").getModifiers())).isTrue();
        assertThat(c.getMethod("load", String.class)).isNotNull();
    }

    @Test
    void threadPoolWorkerStartingCallsTheStartHandlerWithThePoolAndTheCurrentThread() throws Exception {
        Object pool = new Object();
        setStartHandler((p, t) -> starts.add(new Object[] {p, t}));

        call("threadPoolWorkerStarting", Object.class, pool);

        assertThat(starts).hasSize(1);
        assertThat(starts.get(0)[0]).isSameAs(pool);
        assertThat(starts.get(0)[1]).isSameAs(Thread.currentThread());
    }

    @Test
    void withoutHandlersTheHooksDoNothing() throws Exception {
        setStartHandler(null);
        setExitHandler(null);

        call("threadPoolWorkerStarting", Object.class, new Object());
        call("threadPoolWorkerExiting", null, null);
        call("forkJoinWorkerStarting", Thread.class, Thread.currentThread());
        call("forkJoinWorkerExiting", Thread.class, Thread.currentThread());
    }

    @Test
    void handlerThatThrowsIsSwallowed() throws Exception {
        setStartHandler((p, t) -> {
            starts.add(new Object[] {p, t});
            throw new IllegalStateException("agent bug");
        });
        setExitHandler(t -> {
            exits.add(t);
            throw new StackOverflowError("agent bug");
        });

        call("threadPoolWorkerStarting", Object.class, new Object());
        call("threadPoolWorkerExiting", null, null);
        call("forkJoinWorkerExiting", Thread.class, Thread.currentThread());

        assertThat(starts).hasSize(1);
        assertThat(exits).containsExactly(Thread.currentThread(), Thread.currentThread());
    }

    @Test
    void exitHooksHandTheExitingThreadToTheExitHandler() throws Exception {
        Thread other = new Thread("other");
        setExitHandler(exits::add);

        call("threadPoolWorkerExiting", null, null);
        call("forkJoinWorkerExiting", Thread.class, other);
        call("forkJoinWorkerExiting", Thread.class, null); // a worker that failed to start

        assertThat(exits).containsExactly(Thread.currentThread(), other);
    }

    @Test
    void forkJoinWorkerStartingPassesTheWorkersPoolOnlyOnTheWorkerItself() throws Exception {
        setStartHandler((p, t) -> starts.add(new Object[] {p, t}));
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            Thread worker = pool.submit(() -> {
                call("forkJoinWorkerStarting", Thread.class, Thread.currentThread());
                return Thread.currentThread();
            }).get(10, TimeUnit.SECONDS);

            assertThat(worker).isInstanceOf(ForkJoinWorkerThread.class);
            assertThat(starts).hasSize(1);
            assertThat(starts.get(0)[0]).isSameAs(pool);
            assertThat(starts.get(0)[1]).isSameAs(worker);

            // Called about another thread than the current one: ignored.
            call("forkJoinWorkerStarting", Thread.class, worker);
            assertThat(starts).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
