package io.affinityagent.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real Jetty 12 server for the any-thread tests: its QueuedThreadPool threads ("web-ID") are
 * plain Threads, no j.u.c. pool workers ({@code default-names} as argument: Jetty's own
 * {@code qtp<hash>-<id>} names instead). Listens on 127.0.0.1 only, on a free port, and prints
 * {@code LISTENING <port>}. Each response is the handling thread: {@code <name> <tid> <allowed CPUs>}.
 * Stops on {@code exit} or end of stdin, and by itself after two minutes whatever happens.
 */
public final class JettyLab {

    private JettyLab() {
    }

    public static void main(String[] args) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 4);
        if (!(args.length > 0 && args[0].equals("default-names"))) {
            threads.setName("web"); // else Jetty's own names, qtp<hash>-<id>
        }
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String body = Thread.currentThread().getName() + " " + PoolLab.threadSelfId() + " "
                        + PoolLab.allowedCpus() + "\n";
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                return;
            }
            System.exit(3); // the test is gone: never outlive it
        }, "deadline");
        deadline.setDaemon(true);
        deadline.start();

        server.start();
        AgentStarted.await(); // the agent, started beside the application, has placed what runs already
        System.out.println("LISTENING " + connector.getLocalPort());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("exit")) {
            // only exit is understood
        }
        server.stop();
        System.out.println("OK exit");
        System.exit(0);
    }
}
