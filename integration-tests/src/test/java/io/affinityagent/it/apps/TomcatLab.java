package io.affinityagent.it.apps;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A real embedded Tomcat 11 with its defaults, as a Spring Boot application runs it: the NIO
 * connector's own executor (ten {@code http-nio-127.0.0.1-PORT-exec-N} threads at start, a copy
 * of ThreadPoolExecutor in Tomcat's package, so no j.u.c. pool), an {@code -Acceptor} and a
 * {@code -Poller} thread. Listens on 127.0.0.1 only and prints {@code LISTENING <port>}; each
 * response is the handling thread: {@code <name> <tid> <allowed CPUs>}. Stops on {@code exit} or
 * end of stdin, and by itself after three minutes whatever happens.
 */
public final class TomcatLab {

    /** Held: java.util.logging keeps loggers weakly, and Tomcat would log INFO lines to stderr. */
    private static final Logger APACHE = Logger.getLogger("org.apache");

    private TomcatLab() {
    }

    public static void main(String[] args) throws Exception {
        APACHE.setLevel(Level.WARNING);
        ServerLabs.stopAfter(180);
        File base = Files.createTempDirectory("affinity-it-tomcat").toFile();
        // Gone however the JVM ends (exit, the deadline, a test's kill): the machine is left as found.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ServerLabs.delete(base), "delete-base"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        Connector connector = new Connector();
        // A fixed port, as servers have, so the threads get the names users see (with port 0
        // Tomcat names them "auto-1"); a free one, found just before.
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.getAbsolutePath());
        Tomcat.addServlet(context, "who", new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                response.getWriter().write(ServerLabs.whoAmI());
            }
        });
        context.addServletMappingDecoded("/*", "who");
        tomcat.start();
        AgentStarted.await(); // the agent, started beside the application, has placed what runs already
        System.out.println("LISTENING " + connector.getLocalPort());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("exit")) {
            // only exit is understood
        }
        tomcat.stop();
        tomcat.destroy();
        System.out.println("OK exit");
        System.exit(0);
    }
}
