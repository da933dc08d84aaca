package io.affinityagent.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded load on a server lab, to 127.0.0.1 only: a few clients send GETs until a request
 * count or a time limit is reached, whichever comes first, and then stop by themselves. Counts
 * every answer and every failure (an exception or a status other than 200), and keeps each
 * handling thread's answer ({@code <name> <tid> <allowed CPUs>}) by thread name.
 */
final class ServerLoad implements AutoCloseable {

    /** The class path of the server labs: the test classes and the servers' jars from Maven Central. */
    static final String BASE_SERVER_LIBS = System.getProperty("affinity.test.server-libs", "target/server-libs");
    static final String CLASSPATH = TargetJvm.APPS_CLASSPATH + ":" + BASE_SERVER_LIBS + "/*";

    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Map<String, String> byThread = new ConcurrentHashMap<>();
    private final CountDownLatch done;
    private final List<Thread> clients = new ArrayList<>();
    private volatile boolean stop;

    private ServerLoad(int port, int clientCount, int maxRequests, Duration maxTime) {
        done = new CountDownLatch(clientCount);
        long deadline = System.nanoTime() + maxTime.toNanos();
        for (int c = 0; c < clientCount; c++) {
            Thread t = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                try {
                    while (!stop && System.nanoTime() < deadline && sent.incrementAndGet() <= maxRequests) {
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/load")).timeout(Duration.ofSeconds(10))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                                String line = r.body().trim();
                                byThread.put(line.substring(0, line.indexOf(' ')), line);
                            } else {
                                fail("status " + r.statusCode());
                            }
                        } catch (Exception e) {
                            fail(e.toString());
                            if (e instanceof InterruptedException) {
                                return;
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + c);
            t.setDaemon(true);
            clients.add(t);
        }
        clients.forEach(Thread::start);
    }

    private void fail(String why) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, why);
    }

    /** Starts the load: at most {@code maxRequests} requests and {@code maxTime}, over {@code clients} connections. */
    static ServerLoad start(int port, int clients, int maxRequests, Duration maxTime) {
        return new ServerLoad(port, clients, maxRequests, maxTime);
    }

    /** Waits until this many requests have been answered (bounded by the load's own limits). */
    ServerLoad awaitAnswered(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ok.get() + failed.get() < count && done.getCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return this;
    }

    /** Waits for the clients to reach their limits. */
    ServerLoad finish() throws InterruptedException {
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new AssertionError("the load did not stop by itself");
        }
        return this;
    }

    int answered() {
        return ok.get();
    }

    int failed() {
        return failed.get();
    }

    String firstFailure() {
        return firstFailure.get();
    }

    /** The last answer of each thread that answered: name to "name tid cpus". */
    Map<String, String> answersByThread() {
        return byThread;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : clients) {
            t.join(30_000);
        }
    }
}
