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
}
