package io.affinityagent.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code attach PID --config FILE [--log LEVEL]} without picocli. Building picocli's model of
 * the command line (reflection over every command's annotations, proxies, lambdas: some 500
 * classes) is most of what the command's own JVM does before it attaches, and attach is the
 * command whose latency matters (benchmark 4). Only the plain form is taken here; anything else
 * (help, a mistake, an option this parser does not know) goes to picocli, which says what is
 * wrong as it always has.
 */
final class AttachFastPath {

    final long pid;
    final Path config;
    final String log;

    private AttachFastPath(long pid, Path config, String log) {
        this.pid = pid;
        this.config = config;
        this.log = log;
    }

    /** The arguments, when they are the plain form of {@code attach}; null to leave them to picocli. */
    static AttachFastPath parse(String[] args) {
        if (args.length < 4 || !"attach".equals(args[0])) {
            return null;
        }
        long pid = -1;
        String config = null;
        String log = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value;
            if (a.equals("-c") || a.equals("--config") || a.equals("--log")) {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = args[++i];
            } else if (a.startsWith("--config=") || a.startsWith("--log=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (pid < 0 && isDigits(a)) {
                try {
                    pid = Long.parseLong(a);
                } catch (NumberFormatException e) {
                    return null;
                }
                continue;
            } else {
                return null;
            }
            if (value.isEmpty() || value.startsWith("-")) {
                return null; // picocli's reading of such a value is the one users know
            }
            if (a.startsWith("--log")) {
                if (log != null) {
                    return null;
                }
                log = value;
            } else {
                if (config != null) {
                    return null;
                }
                config = value;
            }
        }
        if (pid < 0 || config == null) {
            return null;
        }
        try {
            return new AttachFastPath(pid, Paths.get(config), log);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** Runs the command as picocli would, with the same handling of failures; returns the exit status. */
    int run(PrintWriter out, PrintWriter err) {
        try {
            return AttachCommand.attach(pid, config, log, out, err);
        } catch (CliException e) {
            err.println(AffinityAgentCli.PREFIX + "error: " + e.getMessage());
            return AffinityAgentCli.FAILED;
        } catch (RuntimeException e) {
            err.println(AffinityAgentCli.PREFIX + "internal error, please report it: " + e);
            e.printStackTrace(err);
            return AffinityAgentCli.FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
