package io.affinityagent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A connection through the JDK's attach API (module jdk.attach): the fallback where the command
 * line's own client cannot start a JVM's attach listener (see {@link JvmConnection#open}).
 *
 * <p>Why not byte-buddy-agent: its value is attaching where jdk.attach is missing (a JRE, the
 * JVM itself), through its own socket code that needs JNA, which the agent does not ship; this
 * command line always runs as a separate process, and needs the attach API's own exceptions
 * and agent properties, which byte-buddy-agent's facade wraps or does not offer.
 */
final class JdkAttachConnection extends JvmConnection {

    private final VirtualMachine vm;
    /** The JDK's own attach that started the JVM's attach listener, or null; joined on close. */
    private final ListenerTrigger trigger;

    private JdkAttachConnection(TargetProcess target, VirtualMachine vm, ListenerTrigger trigger) {
        super(target);
        this.vm = vm;
        this.trigger = trigger;
    }

    static JdkAttachConnection open(TargetProcess target) throws CliException {
        if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
            throw new CliException("this Java runtime (" + System.getProperty("java.home") + ") has no jdk.attach module;"
                    + " run the command with the java of a JDK");
        }
        long pid = target.pid();
        String id = Long.toString(pid);
        try {
            Path socket = target.attachSocket();
            if (Files.exists(socket)) {
                return new JdkAttachConnection(target, VirtualMachine.attach(id), null);
            }
            // The JVM's attach listener is not running yet. The JDK's attach signals the JVM to start it
            // and then sleeps 100 ms before it first looks for its socket (then 200 ms more, and so on),
            // though a JVM opens it within a few ms: most of an attach's latency. So the JDK's attach runs
            // on a thread of its own, to start the listener, while this one watches for the socket and
            // attaches the moment it is there (with the socket there, the JDK neither signals nor sleeps).
            ListenerTrigger trigger = new ListenerTrigger(id);
            trigger.start();
            while (trigger.isAlive()) {
                if (Files.exists(socket)) {
                    VirtualMachine vm;
                    try {
                        vm = VirtualMachine.attach(id);
                    } catch (AttachNotSupportedException | IOException | RuntimeException e) {
                        break; // the JDK's own attach says what is wrong, once it has cleaned up after itself
                    }
                    return new JdkAttachConnection(target, vm, trigger);
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return new JdkAttachConnection(target, trigger.result(), trigger);
        } catch (AttachNotSupportedException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("does not support the attach mechanism")) {
                throw new CliException("JVM " + pid + " takes no attach requests (started with"
                        + " -XX:+DisableAttachMechanism?); restart it without that option, or with"
                        + " -javaagent:affinity-agent.jar=config=FILE");
            }
            if (m.contains("doesn't respond") || m.contains("not loaded")) {
                throw new CliException("JVM " + pid + " did not answer the attach request (started with"
                        + " -XX:+DisableAttachMechanism, or too busy to answer within the JDK's 10 s?)");
            }
            throw new CliException("cannot attach to JVM " + pid + ": " + m);
        } catch (IOException e) {
            throw connectionLost(target, e);
        }
    }

    @Override
    Properties agentProperties() throws CliException {
        try {
            return vm.getAgentProperties();
        } catch (IOException e) {
            throw connectionLost(target, e);
        }
    }

    @Override
    Properties systemProperties() throws CliException {
        try {
            return vm.getSystemProperties();
        } catch (IOException e) {
            throw connectionLost(target, e);
        }
    }

    /** Through HotSpotVirtualMachine, which the jar's manifest exports to the command line. */
    @Override
    String threadDump() throws CliException {
        java.lang.reflect.Method jcmd;
        try {
            jcmd = Class.forName("sun.tools.attach.HotSpotVirtualMachine").getMethod("executeJCmd", String.class);
        } catch (ReflectiveOperationException e) {
            throw new CliException("this JDK's attach API takes no diagnostic commands (" + e + ")");
        }
        try (java.io.InputStream in = (java.io.InputStream) jcmd.invoke(vm, "Thread.print")) {
            // Read as jcmd reads it: readAllBytes() on this stream stops after 4096 bytes on JDK 17.
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                text.write(buffer, 0, n);
            }
            return new String(text.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalAccessException e) {
            throw new CliException("the attach API's diagnostic commands are not open to this command line (run it"
                    + " as java -jar affinity-agent.jar, whose manifest opens them)");
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw connectionLost(target, (IOException) cause);
            }
            throw new CliException("JVM " + target.pid() + " refused a thread dump: " + cause);
        } catch (IOException e) {
            throw connectionLost(target, e);
        }
    }

    @Override
    String startLocalManagementAgent() throws CliException {
        try {
            return vm.startLocalManagementAgent();
        } catch (IOException e) {
            throw connectionLost(target, e);
        }
    }

    @Override
    void loadAgent(String jar, String arguments) throws CliException {
        long pid = target.pid();
        try {
            vm.loadAgent(jar, arguments);
        } catch (AgentLoadException e) {
            String m = String.valueOf(e.getMessage());
            if (saysDynamicLoadingDisabled(m)) {
                throw dynamicLoadingDisabled(pid);
            }
            throw new CliException("JVM " + pid + " could not load the agent: " + m);
        } catch (AgentInitializationException e) {
            throw new CliException("the agent failed to start in JVM " + pid + " (its stderr says why): " + e.getMessage());
        } catch (IOException e) {
            throw connectionLost(target, e);
        }
    }

    @Override
    public void close() {
        detach(vm);
        if (trigger != null) {
            // Within the JDK's first sleep at most; it deletes its trigger file in the JVM's directory when done.
            try {
                trigger.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (trigger.vm != null && trigger.vm != vm) {
                detach(trigger.vm);
            }
        }
    }

    private static void detach(VirtualMachine machine) {
        try {
            machine.detach();
        } catch (IOException ignored) {
            // the JVM is gone or closed the connection: nothing left to release
        }
    }

    /** The JDK's {@code VirtualMachine.attach}, on a thread of its own (see {@link #open}). */
    private static final class ListenerTrigger extends Thread {
        private final String pid;
        private volatile VirtualMachine vm;
        private volatile Throwable failure;

        ListenerTrigger(String pid) {
            super("affinity-agent-attach");
            this.pid = pid;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                vm = VirtualMachine.attach(pid);
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** Its outcome, once it has ended. */
        VirtualMachine result() throws AttachNotSupportedException, IOException {
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while attaching", e);
            }
            Throwable t = failure;
            if (t instanceof AttachNotSupportedException) {
                throw (AttachNotSupportedException) t;
            } else if (t instanceof IOException) {
                throw (IOException) t;
            } else if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            } else if (t instanceof Error) {
                throw (Error) t;
            }
            return vm;
        }
    }
}
