package io.affinityagent.jdk;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Finds the platform threads that are running already, idle pool workers included, when the
 * agent is attached, each with its pool if it is a pool worker: a {@link ForkJoinWorkerThread}
 * (its {@code pool} field) or a thread that runs a {@code ThreadPoolExecutor$Worker}, whose
 * enclosing instance is the pool. Reading the thread's Runnable and the worker's fields needs {@code java.lang} and
 * {@code java.util.concurrent} opened to the agent's module, which
 * {@link Instrumentation#redefineModule} does for this module only (the application gains
 * nothing). Only fields are read: no application code is called.
 *
 * <p>The fields are opened on the first look that needs them. At JVM start no thread can be a
 * pool worker yet, and opening them there would cost the start its most expensive reflection
 * (and load both pool classes, hooking them, for an application that may use neither).
 */
public final class RunningThreads {

    private static final String TPE_WORKER = "java.util.concurrent.ThreadPoolExecutor$Worker";

    private final Instrumentation inst;
    private volatile Fields fields;

    private RunningThreads(Instrumentation inst) {
        this.inst = inst;
    }

    /** Discovery through {@code inst}, which opens the JDK's fields to the agent when first needed. */
    public static RunningThreads of(Instrumentation inst) {
        return new RunningThreads(inst);
    }

    /** Every live platform thread, in Java id order, with its pool (null: none, or one that cannot be told). */
    public List<RunningThread> find() throws ReflectiveOperationException {
        Thread[] live = liveThreads();
        Fields f = fields;
        if (f == null && needsFields(live)) {
            f = opened();
        }
        List<RunningThread> out = new ArrayList<>();
        for (Thread t : live) {
            if (t.isAlive()) {
                out.add(f == null ? new RunningThread(t, null, t.getId()) : new RunningThread(t, f.poolOf(t), f.idOf(t)));
            }
        }
        out.sort((a, b) -> Long.compare(a.javaId(), b.javaId()));
        return out;
    }

    /**
     * Whether some live thread may be a pool worker, or has a class of its own (whose getId()
     * may be an override): only then are the fields needed. A ThreadPoolExecutor worker runs a
     * {@code Worker}, which cannot exist before its class is loaded.
     */
    private boolean needsFields(Thread[] live) {
        for (Thread t : live) {
            if (t.getClass().getClassLoader() != null || ThreadClassifier.isForkJoinWorker(t)) {
                return true;
            }
        }
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && c.getName().equals(TPE_WORKER)) {
                return true;
            }
        }
        return false;
    }

    private Fields opened() throws ReflectiveOperationException {
        Fields f = fields;
        if (f == null) {
            synchronized (this) {
                f = fields;
                if (f == null) {
                    f = Fields.open(inst);
                    fields = f;
                }
            }
        }
        return f;
    }

    /** The JDK's fields that tell a thread's id and pool, opened to the agent; throws when this JDK differs. */
    private static final class Fields {
        /** JDK 19+: Thread.holder.task; JDK 17: Thread.target. */
        private final Field holder;
        private final Field task;
        private final Field javaId;
        private final Class<?> workerType;
        private final Field workerThread;
        private final Field workerPool;
        private final Field forkJoinPool;

        private Fields(Field holder, Field task, Field javaId, Class<?> workerType, Field workerThread,
                       Field workerPool, Field forkJoinPool) {
            this.forkJoinPool = forkJoinPool;
            this.holder = holder;
            this.task = task;
            this.javaId = javaId;
            this.workerType = workerType;
            this.workerThread = workerThread;
            this.workerPool = workerPool;
        }

        static Fields open(Instrumentation inst) throws ReflectiveOperationException {
            Module javaBase = Object.class.getModule();
            Module self = RunningThreads.class.getModule();
            if (!javaBase.isOpen("java.lang", self) || !javaBase.isOpen("java.util.concurrent", self)) {
                inst.redefineModule(javaBase, Set.of(), Map.of(),
                        Map.of("java.lang", Set.of(self), "java.util.concurrent", Set.of(self)), Set.of(), Map.of());
            }
            Field holder = null;
            Field task;
            try {
                holder = accessible(Thread.class.getDeclaredField("holder"));
                task = accessible(holder.getType().getDeclaredField("task"));
            } catch (NoSuchFieldException jdk17) {
                task = accessible(Thread.class.getDeclaredField("target"));
            }
            Field javaId = accessible(Thread.class.getDeclaredField("tid"));
            Class<?> workerType = Class.forName(TPE_WORKER, false, null);
            Field workerThread = accessible(workerType.getDeclaredField("thread"));
            Field workerPool = null;
            for (Field f : workerType.getDeclaredFields()) {
                // The enclosing instance (this$0): found by type, not by the compiler's name for it.
                if (!Modifier.isStatic(f.getModifiers()) && f.getType() == ThreadPoolExecutor.class) {
                    workerPool = accessible(f);
                }
            }
            if (workerPool == null) {
                throw new NoSuchFieldException(TPE_WORKER + " has no field for its pool in this JDK");
            }
            Field forkJoinPool = accessible(ForkJoinWorkerThread.class.getDeclaredField("pool"));
            return new Fields(holder, task, javaId, workerType, workerThread, workerPool, forkJoinPool);
        }

        /** Thread.threadId() from its field: getId() is not final and may be an application's override. */
        long idOf(Thread t) {
            try {
                return javaId.getLong(t);
            } catch (IllegalAccessException e) {
                return -1;
            }
        }

        private Object poolOf(Thread t) {
            try {
                if (t instanceof ForkJoinWorkerThread) {
                    return forkJoinPool.get(t); // the field: getPool() may be overridden
                }
                Object runnable = holder == null ? task.get(t) : taskOf(holder.get(t));
                Object worker = workerIn(runnable);
                if (worker != null && workerThread.get(worker) == t) {
                    return workerPool.get(worker);
                }
            } catch (IllegalAccessException | RuntimeException e) {
                // Not a worker we can read: it is pinned when its pool replaces it.
            }
            return null;
        }

        private Object taskOf(Object fieldHolder) throws IllegalAccessException {
            return fieldHolder == null ? null : task.get(fieldHolder);
        }

        /**
         * The ThreadPoolExecutor$Worker the thread runs: the thread's Runnable itself, or one field
         * of it when a thread factory wraps the Runnable (Netty's DefaultThreadFactory does).
         */
        private Object workerIn(Object runnable) {
            if (runnable == null) {
                return null;
            }
            if (workerType.isInstance(runnable)) {
                return runnable;
            }
            for (Class<?> c = runnable.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()
                            || !f.getType().isAssignableFrom(workerType)) {
                        continue;
                    }
                    try {
                        f.setAccessible(true); // fails for a class in a named module that is not open: skip it
                        Object value = f.get(runnable);
                        if (workerType.isInstance(value)) {
                            return value;
                        }
                    } catch (RuntimeException | IllegalAccessException e) {
                        // not readable: not ours to look at
                    }
                }
            }
            return null;
        }
    }

    /** The live platform threads, from the root thread group (no safepoint, unlike getAllStackTraces). */
    private static Thread[] liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        Thread[] out = new Thread[n];
        System.arraycopy(threads, 0, out, 0, n);
        return out;
    }

    private static Field accessible(Field f) {
        f.setAccessible(true);
        return f;
    }
}
