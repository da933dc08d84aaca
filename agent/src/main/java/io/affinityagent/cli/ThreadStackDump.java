package io.affinityagent.cli;

import io.affinityagent.advice.SeenThread;
import io.affinityagent.advice.ThreadKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A HotSpot thread dump ({@code Thread.print}, as jstack prints it) read for what {@code status}
 * and {@code check --pid} need: each thread's full Java name, its native id, and what it is,
 * recognised from the bottom of its stack:
 * <ul>
 * <li>{@code ThreadPoolExecutor.runWorker} of java.util.concurrent: a thread-pool worker;</li>
 * <li>{@code ForkJoinWorkerThread.run}: a fork-join worker, of the common pool by its name;</li>
 * <li>{@code Thread.run} at the bottom, or called by a subclass's run(): a plain thread, whose code
 * is the class of the first frame above Thread.run and its known wrappers (Tomcat's
 * {@code ThreadPoolExecutor} copy, Jetty's {@code QueuedThreadPool}, Netty's event loop);</li>
 * <li>another run() at the bottom that never calls Thread.run: a subclass overriding it;</li>
 * <li>no Java id or no frames: the JVM's own threads; the launcher's main method: the main thread.</li>
 * </ul>
 * An idle carrier of the virtual-thread scheduler looks like any fork-join worker in a dump, and
 * a thread-pool worker's stack shows ThreadPoolExecutor, not the pool's own subclass: both are
 * said where they matter.
 */
final class ThreadStackDump {

    /** One thread of the dump. */
    static final class Entry {
        final String name;
        final long javaId;
        final int nativeId;
        /** Frames top first, as "java.lang.Thread.run" (class and method). */
        final List<String> frames;
        final SeenThread seen;

        Entry(String name, long javaId, int nativeId, List<String> frames) {
            this.name = name;
            this.javaId = javaId;
            this.nativeId = nativeId;
            this.frames = frames;
            this.seen = classify(name, javaId, frames);
        }
    }

    /** Runnables that only wrap the thread's real task: skipped to find the code a thread runs. */
    private static final String[] WRAPPERS = {
        "java.lang.Thread.", "io.netty.util.concurrent.FastThreadLocalRunnable.",
        "io.netty.util.internal.ThreadExecutorMap", "org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.",
        "java.util.concurrent.Executors$RunnableAdapter.", "jdk.internal.misc.InnocuousThread.",
    };

    private final List<Entry> entries;
    private final Map<Integer, Entry> byNativeId = new HashMap<>();

    private ThreadStackDump(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
        for (Entry e : entries) {
            byNativeId.put(e.nativeId, e);
        }
    }

    List<Entry> entries() {
        return entries;
    }

    /** The thread with this Linux tid, or null (it started after the dump, or it is no thread of it). */
    Entry byNativeId(int tid) {
        return byNativeId.get(tid);
    }

    /** The threads as rules see them, in dump order. */
    List<SeenThread> seenThreads() {
        List<SeenThread> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.seen);
        }
        return out;
    }

    static ThreadStackDump parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i++];
            int tidAt = line.indexOf(" tid=0x");
            int nidAt = line.indexOf(" nid=", Math.max(tidAt, 0));
            if (!line.startsWith("\"") || tidAt < 0 || nidAt < 0) {
                continue;
            }
            int nameEnd = line.lastIndexOf('"', tidAt);
            if (nameEnd <= 0) {
                continue;
            }
            String name = line.substring(1, nameEnd);
            long javaId = -1;
            if (line.startsWith(" #", nameEnd + 1)) {
                int end = nameEnd + 3;
                while (end < line.length() && Character.isDigit(line.charAt(end))) {
                    end++;
                }
                if (end > nameEnd + 3) {
                    javaId = Long.parseLong(line.substring(nameEnd + 3, end));
                }
            }
            int nid = nativeId(line, nidAt + " nid=".length());
            List<String> frames = new ArrayList<>();
            while (i < lines.length && !lines[i].startsWith("\"")) {
                String f = lines[i++].trim();
                if (f.startsWith("at ")) {
                    int paren = f.indexOf('(');
                    frames.add(paren > 0 ? f.substring(3, paren) : f.substring(3));
                }
            }
            if (nid >= 0) {
                entries.add(new Entry(name, javaId, nid, frames));
            }
        }
        return new ThreadStackDump(entries);
    }

    /** nid=0x1a2b (JDK 17) or nid=6699 (JDK 18+); -1 if neither. */
    private static int nativeId(String line, int from) {
        int end = from;
        while (end < line.length() && line.charAt(end) != ' ') {
            end++;
        }
        String v = line.substring(from, end);
        try {
            return v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static SeenThread classify(String name, long javaId, List<String> frames) {
        if (javaId < 0 || frames.isEmpty()) {
            return new SeenThread(name, ThreadKind.JVM, null, true);
        }
        int bottom = frames.size() - 1;
        int threadRun = -1;
        for (int i = bottom; i >= 0; i--) {
            String f = frames.get(i);
            if (f.equals("java.util.concurrent.ThreadPoolExecutor.runWorker")) {
                return new SeenThread(name, ThreadKind.THREAD_POOL, "java.util.concurrent.ThreadPoolExecutor", false);
            }
            if (f.equals("java.util.concurrent.ForkJoinWorkerThread.run")) {
                return new SeenThread(name, name.startsWith("ForkJoinPool.commonPool-worker-") ? ThreadKind.COMMON_POOL
                        : ThreadKind.FORK_JOIN, "java.util.concurrent.ForkJoinPool", false);
            }
            if (f.equals("java.lang.Thread.run") && threadRun < 0) {
                threadRun = i;
            }
        }
        if (threadRun >= 0) {
            // The code the thread runs: the first frame above Thread.run that is no mere wrapper.
            String code = null;
            for (int i = threadRun - 1; i >= 0 && code == null; i--) {
                if (!isWrapper(frames.get(i))) {
                    code = outerClass(frames.get(i));
                }
            }
            return new SeenThread(name, ThreadKind.PLAIN_THREAD, code, true);
        }
        String bottomFrame = frames.get(bottom);
        if (bottomFrame.endsWith(".run")) {
            return new SeenThread(name, ThreadKind.THREAD_SUBCLASS, className(bottomFrame), true);
        }
        if (bottomFrame.endsWith(".main") && name.equals("main")) {
            return new SeenThread(name, ThreadKind.MAIN, null, true);
        }
        return new SeenThread(name, ThreadKind.JVM, null, true);
    }

    private static boolean isWrapper(String frame) {
        for (String w : WRAPPERS) {
            if (frame.startsWith(w)) {
                return true;
            }
        }
        return frame.contains("$$Lambda") || frame.contains("$Lambda/");
    }

    /** "a.b.C.method" gives "a.b.C". */
    private static String className(String frame) {
        int dot = frame.lastIndexOf('.');
        return dot > 0 ? frame.substring(0, dot) : frame;
    }

    /** "a.b.C$Inner$1.method" gives "a.b.C": the class a user recognises. */
    private static String outerClass(String frame) {
        String c = className(frame);
        int dollar = c.indexOf('$');
        return dollar > 0 ? c.substring(0, dollar) : c;
    }
}
