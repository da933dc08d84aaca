package io.affinityagent.agent;

import io.affinityagent.config.OnError;
import io.affinityagent.log.LogLevel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The text after {@code -javaagent:affinity-agent.jar=}: {@code config=FILE}, optionally
 * followed by {@code ,on-error=warn|fail} and {@code ,log=quiet|info|debug}, which win over
 * the file (so on-error=fail also covers a file that cannot be read at all), and
 * {@code ,start=background|before-main}: whether the agent starts beside the application (the
 * default) or {@code main} waits for its start.
 *
 * <p>The command line adds two more when it loads the agent into a running JVM or leaves it a
 * request: {@code request=ID}, which names the reply it will read back, and {@code detach}
 * (instead of a config) to stop pinning.
 */
public final class AgentArguments {

    private final Path config;
    private final OnError onError;
    private final LogLevel logLevel;
    private final List<String> errors;
    private final boolean detach;
    private final String request;
    private final boolean startBeforeMain;

    private AgentArguments(Path config, OnError onError, LogLevel logLevel, List<String> errors, boolean detach,
                           String request, boolean startBeforeMain) {
        this.config = config;
        this.onError = onError;
        this.logLevel = logLevel;
        this.errors = List.copyOf(errors);
        this.detach = detach;
        this.request = request;
        this.startBeforeMain = startBeforeMain;
    }

    public static AgentArguments parse(String text) {
        Path config = null;
        OnError onError = null;
        LogLevel logLevel = null;
        List<String> errors = new ArrayList<>();
        boolean detach = false;
        String request = null;
        boolean startBeforeMain = false; // before main only when asked: see README, "At JVM start"
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                String item = part.trim();
                if (item.isEmpty()) {
                    continue;
                }
                int eq = item.indexOf('=');
                String key = eq < 0 ? item : item.substring(0, eq).trim();
                String value = eq < 0 ? "" : item.substring(eq + 1).trim();
                switch (key) {
                    case "config":
                        if (value.isEmpty()) {
                            errors.add("config= needs a file, e.g. config=/etc/affinity.properties");
                        } else {
                            config = Paths.get(value);
                        }
                        break;
                    case "on-error":
                        onError = OnError.fromConfigName(value);
                        if (onError == null) {
                            errors.add("on-error='" + value + "' is not valid; expected warn | fail");
                        }
                        break;
                    case "log":
                        logLevel = LogLevel.fromConfigName(value);
                        if (logLevel == null) {
                            errors.add("log='" + value + "' is not valid; expected quiet | info | debug");
                        }
                        break;
                    case "start":
                        if (value.equals("before-main") || value.equals("background")) {
                            startBeforeMain = value.equals("before-main");
                        } else {
                            errors.add("start='" + value + "' is not valid; expected background | before-main");
                        }
                        break;
                    case "detach":
                        detach = true;
                        break;
                    case "request":
                        request = value;
                        break;
                    default:
                        // A bare path is the likeliest slip: -javaagent:affinity-agent.jar=/etc/affinity.properties
                        String hint = eq < 0 && (key.indexOf('/') >= 0 || key.endsWith(".properties"))
                                ? "; for a config file write config=" + key : "";
                        errors.add("unknown agent option '" + key + "'" + hint + "; expected config=FILE"
                                + "[,on-error=warn|fail][,log=quiet|info|debug][,start=background|before-main]");
                }
            }
        }
        if (detach && config != null) {
            errors.add("detach takes no config");
        } else if (!detach && config == null && errors.isEmpty()) {
            errors.add("no config file given; use -javaagent:affinity-agent.jar=config=/path/to/affinity.properties");
        }
        return new AgentArguments(config, onError, logLevel, errors, detach, request, startBeforeMain);
    }

    /** The config file, or null when none was given. */
    public Path config() {
        return config;
    }

    public OnError onError() {
        return onError;
    }

    public LogLevel logLevel() {
        return logLevel;
    }

    public List<String> errors() {
        return errors;
    }

    /** Stop pinning and give pinned workers their CPUs back. */
    public boolean isDetach() {
        return detach;
    }

    /**
     * {@code start=before-main}: premain waits until the agent has started, so that every worker
     * is pinned as it starts, the first ones in {@code main} included (before its first task
     * touches memory), at the price of the agent's start-up before {@code main}; by default
     * ({@code start=background}) {@code main} runs beside the agent's start.
     */
    public boolean startsBeforeMain() {
        return startBeforeMain;
    }

    /** The command line's id for the reply, or null (-javaagent at start). */
    public String request() {
        return request;
    }
}
