package io.affinityagent.it.apps;

import java.util.concurrent.ThreadFactory;

/** A subclass of {@link OrderExecutor}: {@code pool-class} matches subclasses too. */
public class PriorityOrderExecutor extends OrderExecutor {
    public PriorityOrderExecutor(int size, ThreadFactory factory) {
        super(size, factory);
    }
}
