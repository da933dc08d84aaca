package io.affinityagent.jdk;

import io.affinityagent.os.CpuAffinities;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Every JDK internal the agent relies on, in one list, and whether the running JDK has it: the
 * methods it hooks, the package it defines its bridge in, the agent properties it hooks reads
 * of, the fields it reads to find running workers, the diagnostic command that gives native
 * thread ids, the virtual-thread scheduler's carrier class and property. Looked up by
 * reflection only (nothing is opened, loaded into the application or called), so a JDK upgrade
 * that drops one is one clear line in {@code status} and in {@code check --jdk}.
 */
public final class JdkInternals {

    /** One internal: what it is, what the agent uses it for, and whether this JDK has it. */
    public static final class Internal {
        private final String name;
        private final String usedFor;
        private final boolean present;
        private final boolean optional;
        private final String whenAbsent;

        Internal(String name, String usedFor, boolean present, boolean optional) {
            this.name = name;
            this.usedFor = usedFor;
            this.present = present;
            this.optional = optional;
            this.whenAbsent = "not needed on this JDK";
        }

        /** An optional internal that a platform may lack, and what its absence means. */
        private Internal(String name, String usedFor, boolean present, String whenAbsent) {
            this.name = name;
            this.usedFor = usedFor;
            this.present = present;
            this.optional = true;
            this.whenAbsent = whenAbsent;
        }

        /** Why an optional internal may be absent: "not needed on this JDK", or the platform's reason. */
        public String whenAbsent() {
            return whenAbsent;
        }

        public String name() {
            return name;
        }

        public String usedFor() {
            return usedFor;
        }

        public boolean present() {
            return present;
        }

        /** Only some JDKs have it (JDK 21+: virtual threads); its absence is no problem. */
        public boolean optional() {
            return optional;
        }

        /** Missing, and needed. */
        public boolean missing() {
            return !present && !optional;
        }
    }

    private static volatile List<Internal> ofThisJdk;

    private JdkInternals() {
    }

    /** The internals, checked once on this JDK. */
    public static List<Internal> ofThisJdk() {
        List<Internal> list = ofThisJdk;
        if (list == null) {
            list = check();
            ofThisJdk = list;
        }
        return list;
    }

    /** {@code 17.0.13: 16 of 16 present}, or {@code 17.0.13: missing ThreadPoolExecutor.runWorker, ...}. */
    public static String summary(List<Internal> internals) {
        int needed = 0;
        int present = 0;
        StringBuilder missing = new StringBuilder();
        for (Internal i : internals) {
            if (!i.optional()) {
                needed++;
                if (i.present()) {
                    present++;
                } else {
                    missing.append(missing.length() > 0 ? ", " : "").append(i.name());
                }
            }
        }
        String jdk = Runtime.version().toString();
        return missing.length() == 0 ? jdk + ": " + present + " of " + needed + " present" : jdk + ": missing " + missing;
    }

    private static List<Internal> check() {
        List<Internal> out = new ArrayList<>();
        List<MethodHook> hooks = new ArrayList<>(ThreadPoolExecutorInstrumentation.hooks());
        hooks.addAll(ForkJoinInstrumentation.hooks());
        hooks.addAll(ThreadInstrumentation.hooks());
        for (MethodHook h : hooks) {
            out.add(new Internal(h.describe() + parameters(h.methodDescriptor()), "hooked: calls " + h.bridgeMethod(),
                    hasMethod(h.className(), h.methodName(), h.methodDescriptor()), h.optional()));
        }
        out.add(new Internal(JavaBaseDefiner.PACKAGE, "where the bridge and the JNI class are defined",
                hasClass("jdk.internal.misc.VM"), false));
        out.add(new Internal("jdk.internal.vm.VMSupport.agentProps", "the status, and the control channel's read hook",
                fieldOfType("jdk.internal.vm.VMSupport", "agentProps", Properties.class), false));
        boolean holder = hasField("java.lang.Thread", "holder");
        out.add(new Internal(holder ? "Thread.holder.task" : "Thread.target", "finding running pool workers at attach",
                holder ? hasField("java.lang.Thread$FieldHolder", "task") : hasField("java.lang.Thread", "target"), false));
        out.add(new Internal("Thread.tid", "a thread's Java id at attach", hasField("java.lang.Thread", "tid"), false));
        out.add(new Internal("ThreadPoolExecutor$Worker.thread", "finding running pool workers at attach",
                hasField("java.util.concurrent.ThreadPoolExecutor$Worker", "thread"), false));
        out.add(new Internal("ForkJoinWorkerThread.pool", "finding running pool workers at attach",
                hasField("java.util.concurrent.ForkJoinWorkerThread", "pool"), false));
        out.add(new Internal("DiagnosticCommandImpl.executeDiagnosticCommand", "native thread ids at attach (Thread.print)",
                hasDiagnosticCommand(), false));
        boolean virtual = ThreadClassifier.hasVirtualThreads();
        out.add(new Internal(ThreadClassifier.CARRIER_THREAD_CLASS, "telling the virtual-thread scheduler's workers",
                hasClass(ThreadClassifier.CARRIER_THREAD_CLASS), !virtual));
        out.add(new Internal(SchedulerSizing.VIRTUAL_SCHEDULER_PARALLELISM, "the scheduler's size before the first pin",
                hasClass("java.lang.VirtualThread"), !virtual));
        out.add(new Internal(ThreadStartWatch.NAME, ThreadStartWatch.USED_FOR, CpuAffinities.nativeHelperCarriedHere(),
                "no native helper for linux-" + System.getProperty("os.arch") + ": such threads are pinned only by an attach"));
        return out;
    }

    /** {@code (Ljava/util/concurrent/ThreadPoolExecutor$Worker;Z)V} as {@code (Worker, boolean)}. */
    static String parameters(String descriptor) {
        StringBuilder out = new StringBuilder("(");
        int i = 1;
        while (descriptor.charAt(i) != ')') {
            int dims = 0;
            while (descriptor.charAt(i) == '[') {
                dims++;
                i++;
            }
            String type;
            if (descriptor.charAt(i) == 'L') {
                int end = descriptor.indexOf(';', i);
                String name = descriptor.substring(i + 1, end);
                type = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('$')) + 1);
                i = end + 1;
            } else {
                type = MethodType.fromMethodDescriptorString("(" + descriptor.charAt(i) + ")V", null)
                        .parameterType(0).getName();
                i++;
            }
            out.append(out.length() > 1 ? ", " : "").append(type).append("[]".repeat(dims));
        }
        return out.append(')').toString();
    }

    private static boolean hasClass(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    private static boolean hasField(String className, String field) {
        try {
            Class.forName(className, false, null).getDeclaredField(field);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    private static boolean fieldOfType(String className, String field, Class<?> type) {
        try {
            return type.isAssignableFrom(Class.forName(className, false, null).getDeclaredField(field).getType());
        } catch (Throwable t) {
            return false;
        }
    }

    private static boolean hasMethod(String internalName, String method, String descriptor) {
        try {
            Class<?> c = Class.forName(internalName.replace('/', '.'), false, null);
            Class<?>[] params = MethodType.fromMethodDescriptorString(descriptor, null).parameterArray();
            if (method.equals("<init>")) {
                c.getDeclaredConstructor(params);
            } else {
                c.getDeclaredMethod(method, params);
            }
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    private static boolean hasDiagnosticCommand() {
        try {
            Optional<Module> module = ModuleLayer.boot().findModule("jdk.management");
            if (module.isEmpty()) {
                return false;
            }
            Class<?> impl = Class.forName("com.sun.management.internal.DiagnosticCommandImpl", false,
                    module.get().getClassLoader());
            impl.getDeclaredMethod("executeDiagnosticCommand", String.class);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }
}
