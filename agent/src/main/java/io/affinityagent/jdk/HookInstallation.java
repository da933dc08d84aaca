package io.affinityagent.jdk;

import java.util.List;

/** The hooks in the JDK's thread and pool code (see {@link HookInstaller}); an interface so that start-up order can be tested. */
public interface HookInstallation {

    /**
     * Defines the bridge, points it at {@code handlers}, and hooks the pool classes (now if
     * loaded, else as they load) and, if {@code hookThreadsNow}, java.lang.Thread. Returns the
     * problems, one sentence each.
     */
    List<String> install(HookHandlers handlers, boolean hookThreadsNow);

    /** Hooks java.lang.Thread if it is not yet; idempotent. Returns the problems, one sentence each. */
    List<String> hookThreads();

    /**
     * Hooks the pool classes that were being loaded as {@link #install} looked (see
     * {@link HookInstaller#hookLateLoads}); adds its problems to {@code problems} and returns the
     * names of the classes it hooked (none, usually).
     */
    default List<String> hookLateLoads(List<String> problems) {
        return List.of();
    }
}
