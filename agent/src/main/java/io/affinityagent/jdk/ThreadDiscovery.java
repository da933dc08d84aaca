package io.affinityagent.jdk;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * The threads of this JVM that were running before the agent looked, and their native ids: what
 * a sweep (an attach, a re-plan) needs beyond the hooks.
 */
public interface ThreadDiscovery {

    /** The live platform threads, in Java id order, each with its pool if it has one. */
    List<RunningThread> running() throws ReflectiveOperationException;

    /** One thread dump (a safepoint): the only source of the native ids of threads not seen starting. */
    ThreadDump threadDump() throws ReflectiveOperationException;

    /** Discovery through the JDK's fields and diagnostic command, opened to the agent by {@code inst}. */
    static ThreadDiscovery of(Instrumentation inst) {
        RunningThreads threads = RunningThreads.of(inst);
        return new ThreadDiscovery() {
            @Override
            public List<RunningThread> running() throws ReflectiveOperationException {
                return threads.find();
            }

            @Override
            public ThreadDump threadDump() throws ReflectiveOperationException {
                return ThreadDump.parse(InProcessThreadDump.take(inst));
            }
        };
    }

    /** No discovery: only the threads the hooks see (tests, and a detach, which needs none). */
    ThreadDiscovery NONE = new ThreadDiscovery() {
        @Override
        public List<RunningThread> running() {
            return List.of();
        }

        @Override
        public ThreadDump threadDump() {
            return null;
        }
    };
}
