package io.affinityagent.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar affinity-agent.jar attach|status|detach|check ...}: the command line, run by
 * the launcher inside the agent's isolated class loader (picocli and the attach API never meet
 * the application, nor the agent's start-up). Exit status: 0 done, 1 the command failed (one
 * line on stderr says why), 2 the command line was wrong.
 */
@Command(name = "java -jar affinity-agent.jar",
        mixinStandardHelpOptions = true,
        versionProvider = AffinityAgentCli.Version.class,
        description = "Pins the worker threads of a JVM's thread pools to CPUs as a config file says, and shows where"
                + " its threads run.",
        subcommands = {AttachCommand.class, StatusCommand.class, DetachCommand.class, CheckCommand.class,
                JmxCommand.class, CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {"Exit status: 0 done; 1 the command failed (stderr says why); 2 wrong usage.",
                "Run 'java -jar affinity-agent.jar COMMAND --help' for a command's options."})
public final class AffinityAgentCli implements Callable<Integer> {

    static final String PREFIX = "affinity-agent: ";
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    /** Called by the launcher; returns the exit status. */
    public static int run(String[] args) {
        AttachFastPath attach = AttachFastPath.parse(args);
        if (attach != null) {
            return attach.run(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        }
        return withPicocli(args);
    }

    private static int withPicocli(String[] args) {
        // picocli measures the terminal with `tput cols` when asked to (picocli.usage.width=AUTO):
        // the agent's jar starts no process, so help is always laid out at picocli's fixed width.
        if ("AUTO".equalsIgnoreCase(System.getProperty("picocli.usage.width"))) {
            System.clearProperty("picocli.usage.width");
        }
        CommandLine cli = new CommandLine(new AffinityAgentCli());
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, args1) -> {
            // The mistake, the synopsis and where to read more; not the whole help.
            CommandLine command = e.getCommandLine();
            PrintWriter w = command.getErr();
            w.println(PREFIX + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, w);
            w.print("Usage: " + command.getHelp().synopsis(0));
            w.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for more.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof CliException) {
                command.getErr().println(PREFIX + "error: " + e.getMessage());
            } else {
                command.getErr().println(PREFIX + "internal error, please report it: " + e);
                e.printStackTrace(command.getErr());
            }
            return FAILED;
        });
        return cli.execute(args);
    }

    /** No command given: say what there is. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** The agent jar this command line runs from: the one it loads into JVMs. */
    static Path agentJar() throws CliException {
        CodeSource source = AffinityAgentCli.class.getProtectionDomain().getCodeSource();
        try {
            if (source != null && source.getLocation() != null) {
                Path jar = Paths.get(source.getLocation().toURI());
                if (jar.getFileName().toString().endsWith(".jar")) {
                    return jar.toAbsolutePath();
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        throw new CliException("cannot tell which agent jar this command runs from; run it as java -jar affinity-agent.jar");
    }

    static String version() {
        try (InputStream in = AffinityAgentCli.class.getResourceAsStream("/io/affinityagent/agent/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Lines for the user that are not the command's output: on stderr, prefixed. */
    static void warn(PrintWriter err, String message) {
        err.println(PREFIX + message);
    }

    /** --version */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"affinity-agent " + version()};
        }
    }
}
