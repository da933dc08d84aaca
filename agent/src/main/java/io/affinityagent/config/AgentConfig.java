package io.affinityagent.config;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.log.LogLevel;
import java.nio.file.Path;
import java.util.List;

/** A valid config, its rules resolved against the CPUs this process may use. */
public final class AgentConfig {

    private final Path file;
    private final List<Rule> rules;
    private final OnError onError;
    private final LogLevel logLevel;
    private final CpuSet processCpus;

    public AgentConfig(Path file, List<Rule> rules, OnError onError, LogLevel logLevel, CpuSet processCpus) {
        this.file = file;
        this.rules = List.copyOf(rules);
        this.onError = onError;
        this.logLevel = logLevel;
        this.processCpus = processCpus;
    }

    public Path file() {
        return file;
    }

    /** In the order they are tried; the first that matches a worker wins. */
    public List<Rule> rules() {
        return rules;
    }

    public OnError onError() {
        return onError;
    }

    public LogLevel logLevel() {
        return logLevel;
    }

    /** The process's allowed CPUs when the config was loaded. */
    public CpuSet processCpus() {
        return processCpus;
    }

    public Rule rule(String name) {
        for (Rule r : rules) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }
}
