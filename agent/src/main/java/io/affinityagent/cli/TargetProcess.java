package io.affinityagent.cli;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.os.ProcFs;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The process a command is aimed at, vetted through /proc before anything is sent to it. An
 * attach request is a SIGQUIT to the process, which ends a process that is not a JVM ready for
 * it, so every reason not to send one is found here first and said in one line: no such
 * process, another user's, not a HotSpot JVM, not handling SIGQUIT yet, attach disabled.
 */
final class TargetProcess {

    private static final int SIGQUIT = 3;

    private final ProcFs procFs;
    private final long pid;
    private final long namespacePid;
    private final String name;
    private final ProcFs.ProcessOwner owner;
    /** Whether the JVM has loaded libinstrument.so, which every Java agent needs; known once vetted. */
    private boolean instrumentLoaded = true;

    private TargetProcess(ProcFs procFs, long pid, long namespacePid, String name, ProcFs.ProcessOwner owner) {
        this.procFs = procFs;
        this.pid = pid;
        this.namespacePid = namespacePid;
        this.name = name;
        this.owner = owner;
    }

    /** A process that exists and that this user may look at through /proc (no JVM check yet). */
    static TargetProcess find(ProcFs procFs, long pid) throws CliException {
        if (pid <= 0 || !procFs.processExists(pid)) {
            throw new CliException("no process " + pid);
        }
        try {
            ProcFs.ProcessOwner self = procFs.selfOwner();
            ProcFs.ProcessOwner target = procFs.owner(pid);
            if (!self.isRoot() && self.uid() != target.uid()) {
                throw new CliException("process " + pid + " runs as user '" + target.user() + "' (uid " + target.uid()
                        + ") and this command as '" + self.user() + "' (uid " + self.uid() + "); a JVM takes attach"
                        + " requests from its own user only: run the command as " + (target.isRoot()
                        ? "root (sudo java -jar affinity-agent.jar ...)"
                        : target.user() + " (sudo -u " + target.user() + " java -jar affinity-agent.jar ...) or as root"));
            }
            if (!self.isRoot() && self.gid() != target.gid()) {
                throw new CliException("process " + pid + " runs with group id " + target.gid() + " and this command with "
                        + self.gid() + "; a JVM takes attach requests only from its own user and group: run the command"
                        + " with its group, or as root");
            }
            return new TargetProcess(procFs, pid, procFs.namespacePid(pid), procFs.processName(pid), target);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException("no process " + pid + " (it has just exited)");
        } catch (IOException e) {
            throw new CliException("cannot read /proc/" + pid + ": " + e.getMessage());
        }
    }

    /**
     * A HotSpot JVM that an attach request may safely be sent to; throws with the reason
     * otherwise. Nothing is sent to the process by this check.
     */
    static TargetProcess vetForAttach(ProcFs procFs, long pid) throws CliException {
        TargetProcess target = findHotSpot(procFs, pid);
        target.requireAttachable();
        return target;
    }

    /** A HotSpot JVM of this user (it may not take attach requests: see {@link #requireAttachable()}). */
    static TargetProcess findHotSpot(ProcFs procFs, long pid) throws CliException {
        TargetProcess target = find(procFs, pid);
        target.requireHotSpot();
        return target;
    }

    private void requireHotSpot() throws CliException {
        Set<String> mapped;
        try {
            mapped = procFs.mappedFileNames(pid);
        } catch (AccessDeniedException e) {
            throw new CliException("cannot read /proc/" + pid + "/maps: permission denied (a setuid or non-dumpable"
                    + " process cannot be attached to; run the command as root)");
        } catch (IOException e) {
            throw new CliException("cannot read /proc/" + pid + "/maps: " + e.getMessage());
        }
        instrumentLoaded = mapped.contains("libinstrument.so");
        boolean openJ9 = false;
        for (String f : mapped) {
            openJ9 |= f.startsWith("libj9vm");
        }
        if (openJ9) {
            throw new CliException("process " + pid + " (" + name + ") is an OpenJ9 JVM, not a HotSpot JVM; affinity-agent"
                    + " attaches to HotSpot JVMs (OpenJDK, Temurin, Oracle...) only; start it with"
                    + " -javaagent:affinity-agent.jar=config=FILE instead");
        }
        if (!mapped.contains("libjvm.so")) {
            throw new CliException("process " + pid + " (" + name + ") is not a HotSpot JVM: it has no libjvm.so loaded");
        }
    }

    /**
     * False when the JVM has certainly no Java agent, affinity-agent's or another (it has never
     * loaded the JVM's libinstrument.so); true when it may have one, or that is not known.
     */
    boolean mayRunAnAgent() {
        return instrumentLoaded;
    }

    /** Throws unless an attach request may be sent: attach enabled, and SIGQUIT handled (or not needed). */
    void requireAttachable() throws CliException {
        String disabled = lastFlag("DisableAttachMechanism");
        if ("+".equals(disabled)) {
            throw new CliException("JVM " + pid + " was started with -XX:+DisableAttachMechanism and takes no attach"
                    + " requests; restart it without that option, or with -javaagent:affinity-agent.jar=config=FILE");
        }
        if (Files.exists(attachSocket())) {
            return; // its attach listener runs: no signal needed
        }
        try {
            if (!procFs.catchesSignal(pid, SIGQUIT)) {
                throw new CliException("JVM " + pid + " does not handle SIGQUIT (yet): it is still starting, or its"
                        + " signal handlers were replaced; an attach request (a SIGQUIT) would end it, so none is sent."
                        + " Try again once it has started");
            }
        } catch (IOException e) {
            throw new CliException("cannot read /proc/" + pid + "/status: " + e.getMessage());
        }
    }

    /** HotSpot's attach socket, as the JVM names it in its own /tmp (there once its attach listener runs). */
    Path attachSocket() {
        return procFs.inRootOf(pid, Paths.get("/tmp/.java_pid" + namespacePid));
    }

    /**
     * Where HotSpot looks for the file that makes a SIGQUIT start its attach listener rather than
     * print a thread dump: {@code .attach_pid<its pid>} in its working directory, else in its /tmp.
     */
    List<Path> attachTriggers() {
        String name = ".attach_pid" + namespacePid;
        return List.of(procFs.workingDirectoryOf(pid).resolve(name), procFs.inRootOf(pid, Paths.get("/tmp/" + name)));
    }

    /**
     * The last {@code -XX:+NAME} or {@code -XX:-NAME} among the options the JVM was started
     * with (its command line, JDK_JAVA_OPTIONS, JAVA_TOOL_OPTIONS, _JAVA_OPTIONS): "+", "-",
     * or null when none names it. An @argfile or a flags file is not read.
     */
    String lastFlag(String flag) {
        List<String> options = new ArrayList<>();
        try {
            for (String env : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"}) {
                addWords(options, procFs.environmentVariable(pid, env));
            }
            options.addAll(procFs.commandLine(pid));
            addWords(options, procFs.environmentVariable(pid, "_JAVA_OPTIONS")); // wins over the command line
        } catch (IOException e) {
            return null;
        }
        String sign = null;
        for (String o : options) {
            if (o.equals("-XX:+" + flag)) {
                sign = "+";
            } else if (o.equals("-XX:-" + flag)) {
                sign = "-";
            }
        }
        return sign;
    }

    private static void addWords(List<String> into, String text) {
        if (text != null) {
            for (String w : text.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    into.add(w);
                }
            }
        }
    }

    long pid() {
        return pid;
    }

    /** Its pid in its own pid namespace (a container's); the same as {@link #pid()} when it shares ours. */
    long namespacePid() {
        return namespacePid;
    }

    String name() {
        return name;
    }

    ProcFs.ProcessOwner owner() {
        return owner;
    }

    /** The CPUs the process may use (its main thread's mask). */
    CpuSet allowedCpus() throws CliException {
        try {
            return procFs.processAllowedCpus(pid);
        } catch (IOException e) {
            throw new CliException("cannot read the CPUs of process " + pid + ": " + e.getMessage());
        }
    }

    /** A file as the target sees it (through /proc/PID/root: a container's files are not ours). */
    Path asSeenByTarget(Path absolute) {
        return procFs.inRootOf(pid, absolute);
    }
}
