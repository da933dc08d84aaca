package io.affinityagent.jdk;

import io.affinityagent.bootstrap.WorkerHooks;
import io.affinityagent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts the worker and thread start and exit hooks into the JDK, once per JVM, and points the
 * bridge at the agent's handlers (which can be swapped later: a second attach, or a detach that
 * clears them).
 *
 * <p>The transformer is registered before anything else, so a pool class that is not loaded
 * yet (the usual case at JVM start) is hooked as it loads, at no cost to start-up if the
 * application never uses it; a pool class already loaded (at attach, say) is retransformed.
 *
 * <p>{@code java.lang.Thread} is always loaded, so hooking it means retransforming it, which is
 * dear at start-up (benchmarks/RESULTS.md). It is done at start only when an any-thread rule
 * needs it; otherwise {@link #hookThreads()} does it just before the first pin (see the engine),
 * since only a thread the agent pinned can pass a mask on.
 */
public final class HookInstaller implements HookInstallation {

    private static final List<String> TARGET_CLASSES = List.of(
            ThreadPoolExecutorInstrumentation.TYPE,
            ThreadPoolExecutorInstrumentation.WORKER_TYPE,
            ForkJoinInstrumentation.WORKER_TYPE,
            ForkJoinInstrumentation.POOL_TYPE,
            ThreadInstrumentation.TYPE);

    private final Instrumentation inst;
    private final AgentLog log;
    /** The class the native helper backs (see ThreadStartWatch), or null when the backend is no helper. */
    private final Class<?> nativeCalls;
    private Class<?> bridge;
    private EntryHookTransformer transformer;
    private boolean threadsHooked;
    /** The pool classes and their hooks, once installed: for {@link #hookLateLoads}. */
    private Set<String> poolTargets;
    private List<MethodHook> poolHooks;
    /** The same objects the transformer holds: whether a hook was applied is checked by identity. */
    private final List<MethodHook> threadHooks = ThreadInstrumentation.hooks();

    /**
     * @param nativeCalls the class whose native methods the loaded helper backs
     *                    ({@code CpuAffinity.nativeCalls()}), for the JVM's thread-start event;
     *                    null where the backend is no native helper
     */
    public HookInstaller(Instrumentation inst, AgentLog log, Class<?> nativeCalls) {
        this.inst = inst;
        this.log = log;
        this.nativeCalls = nativeCalls;
    }

    /** True when some agent, possibly another copy of this one, already put the bridge in this JVM. */
    public static boolean bridgeAlreadyDefined() {
        return JavaBaseDefiner.findDefined(WorkerHooks.class) != null;
    }

    /**
     * Defines the bridge, sets the handlers, and hooks the pool classes (now if loaded, else as
     * they load) and, if {@code hookThreadsNow}, java.lang.Thread. Returns the problems, one
     * sentence each; empty when all went well so far.
     */
    @Override
    public synchronized List<String> install(HookHandlers handlers, boolean hookThreadsNow) {
        List<String> problems = new ArrayList<>();
        if (transformer != null) {
            setHandlers(handlers);
            if (hookThreadsNow) {
                problems.addAll(hookThreads());
            }
            return problems;
        }
        if (!inst.isRetransformClassesSupported()) {
            problems.add("this JVM cannot retransform classes, so no pool can be hooked");
            return problems;
        }
        try {
            bridge = JavaBaseDefiner.define(inst, WorkerHooks.class);
        } catch (Throwable t) {
            problems.add("cannot define the bridge class in java.base: " + t);
            return problems;
        }
        setHandlers(handlers);

        List<MethodHook> hooks = new ArrayList<>(ThreadPoolExecutorInstrumentation.hooks());
        hooks.addAll(ForkJoinInstrumentation.hooks());
        hooks.addAll(threadHooks);
        transformer = new EntryHookTransformer(bridge.getName().replace('.', '/'), hooks, log);
        // Registered for good: should another agent retransform these classes later, the JVM
        // runs our transformer again and the hooks survive.
        inst.addTransformer(transformer, true);

        // Retransform the targets that were loaded unhooked, all in one call: a class first
        // loaded while another is being retransformed must not slip through, and our
        // transformer loads no class while it works, so none can.
        Set<String> targetNames = new HashSet<>();
        for (String internalName : TARGET_CLASSES) {
            if (hookThreadsNow || !internalName.equals(ThreadInstrumentation.TYPE)) {
                targetNames.add(internalName.replace('/', '.'));
            }
        }
        threadsHooked = hookThreadsNow;
        poolTargets = new HashSet<>(targetNames);
        poolTargets.remove(ThreadInstrumentation.TYPE.replace('/', '.'));
        poolHooks = hooks;
        retransformLoaded(targetNames, hooks, problems);
        if (hookThreadsNow) {
            watchThreadStarts(problems);
        }
        return problems;
    }

    /**
     * Hooks java.lang.Thread (run, start, exit) if it is not yet, and switches on the JVM's
     * thread-start event where the native helper is loaded: the any-thread rules and the masks
     * threads inherit need them. Idempotent; returns the problems, one sentence each.
     */
    @Override
    public synchronized List<String> hookThreads() {
        List<String> problems = new ArrayList<>();
        if (threadsHooked || transformer == null) {
            return problems;
        }
        threadsHooked = true;
        Set<String> thread = new HashSet<>();
        thread.add(ThreadInstrumentation.TYPE.replace('/', '.'));
        retransformLoaded(thread, threadHooks, problems);
        watchThreadStarts(problems);
        return problems;
    }

    /** With java.lang.Thread hooked: the JVM's thread-start event too, where the native helper is loaded. */
    private void watchThreadStarts(List<String> problems) {
        if (nativeCalls != null) {
            String problem = ThreadStartWatch.start(nativeCalls, bridge);
            if (problem != null) {
                problems.add(problem);
            }
        }
    }

    /**
     * The agent may start beside the application (the background start, an attach). A pool class
     * that another thread was loading as the transformer was registered passed the JVM's
     * class-load hook without it, and was not yet among the loaded classes when {@link #install}
     * looked: neither hooked as it loaded nor retransformed, its workers would never be seen.
     * Looked for once more, after the start's sweep (such a load has ended by then, unless its
     * thread was held off the CPU all that time), and retransformed. Returns the names of the
     * classes hooked so late; the caller sweeps again for workers they started meanwhile.
     */
    @Override
    public synchronized List<String> hookLateLoads(List<String> problems) {
        if (poolTargets == null) {
            return List.of();
        }
        return retransformLoaded(poolTargets, poolHooks, problems);
    }

    /** Retransforms the loaded targets that no hook went into yet; returns their names. */
    private List<String> retransformLoaded(Set<String> targetNames, List<MethodHook> hooks, List<String> problems) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && targetNames.contains(c.getName()) && !hooked(c)) {
                loaded.add(c);
            }
        }
        if (loaded.isEmpty()) {
            return List.of();
        }
        try {
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        } catch (Throwable t) {
            problems.add("retransforming " + loaded + " failed: " + t);
        }
        for (MethodHook h : hooks) {
            boolean classLoaded = false;
            for (Class<?> c : loaded) {
                classLoaded |= c.getName().equals(h.className().replace('/', '.'));
            }
            if (classLoaded && !h.optional() && !transformer.applied().contains(h)) {
                problems.add(transformer.describeMissing(h));
            }
        }
        List<String> names = new ArrayList<>();
        for (Class<?> c : loaded) {
            names.add(c.getName());
        }
        return names;
    }

    /** Whether the transformer put a hook into {@code c} already (as it loaded, or retransformed). */
    private boolean hooked(Class<?> c) {
        String internalName = c.getName().replace('.', '/');
        for (MethodHook h : transformer.applied()) {
            if (h.className().equals(internalName)) {
                return true;
            }
        }
        return false;
    }

    /** Points the bridge at new handlers. */
    private void setHandlers(HookHandlers handlers) {
        if (bridge == null) {
            return;
        }
        try {
            bridge.getField("onWorkerStart").set(null, handlers.workerStart());
            bridge.getField("onWorkerExit").set(null, handlers.workerExit());
            bridge.getField("onThreadRun").set(null, handlers.threadRun());
            bridge.getField("onThreadStart").set(null, handlers.threadStart());
            bridge.getField("onPoolWorkerCreated").set(null, handlers.poolWorkerCreated());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the bridge class in java.base is not ours: " + e, e);
        }
    }
}
