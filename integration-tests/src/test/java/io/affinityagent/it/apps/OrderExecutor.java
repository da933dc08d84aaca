package io.affinityagent.it.apps;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** An application's own executor class, matched by {@code pool-class} in the tests. */
public class OrderExecutor extends ThreadPoolExecutor {
    public OrderExecutor(int size, ThreadFactory factory) {
        super(size, size, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    }
}
