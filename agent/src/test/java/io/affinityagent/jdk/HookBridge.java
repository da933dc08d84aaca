package io.affinityagent.jdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The bridge the hooked {@link HookTarget} calls in tests: records every argument it is given. */
public final class HookBridge {

    public static final List<Object> CALLS = Collections.synchronizedList(new ArrayList<>());

    private HookBridge() {
    }

    public static void seen(Object o) {
        CALLS.add(o);
    }
}
