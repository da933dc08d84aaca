package io.affinityagent.config;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
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
    private final CpuSet reserved;
    private CpuTopology topology; // null until asked for, when no rule needed the machine's
    private final CpuList reservedList;
    private final long cpusetWatchMillis;
    private final Path lockDirectory;

    public AgentConfig(Path file, List<Rule> rules, OnError onError, LogLevel logLevel, CpuSet processCpus) {
        this(file, rules, onError, logLevel, processCpus, CpuSet.empty(), null);
    }

    /** @param topology the layout the rules were resolved with; null when none needed it */
    public AgentConfig(Path file, List<Rule> rules, OnError onError, LogLevel logLevel, CpuSet processCpus,
                       CpuSet reserved, CpuTopology topology) {
        this(file, rules, onError, logLevel, processCpus, reserved, topology, null,
                CpusetWatchInterval.DEFAULT_MILLIS, null);
    }

    /**
     * @param reservedList      {@code reserved} as written, to resolve again when the cpuset changes; null when absent
     * @param cpusetWatchMillis {@code cpuset-watch}, 0 for off
     * @param lockDirectory     {@code lock-dir}; null for OpenHFT's default (the JVM's {@code java.io.tmpdir})
     */
    public AgentConfig(Path file, List<Rule> rules, OnError onError, LogLevel logLevel, CpuSet processCpus,
                       CpuSet reserved, CpuTopology topology, CpuList reservedList, long cpusetWatchMillis,
                       Path lockDirectory) {
        this.reservedList = reservedList;
        this.cpusetWatchMillis = cpusetWatchMillis;
        this.lockDirectory = lockDirectory;
        this.file = file;
        this.rules = List.copyOf(rules);
        this.onError = onError;
        this.logLevel = logLevel;
        this.processCpus = processCpus;
        this.reserved = reserved;
        this.topology = topology;
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

    /**
     * The process's allowed CPUs when the config was loaded; when the config plans for the
     * machine of a topology file ({@link ConfigLoader.Target#TOPOLOGY_FILE}), that machine's CPUs.
     */
    public CpuSet processCpus() {
        return processCpus;
    }

    /** {@code reserved}: CPUs no rule uses (empty when the config reserves none). */
    public CpuSet reserved() {
        return reserved;
    }

    /**
     * The layout the rules were resolved with: a topology file's, sysfs's, or a flat one when
     * no rule needed it.
     */
    public synchronized CpuTopology topology() {
        if (topology == null) {
            topology = CpuTopology.flat(processCpus, "no topology");
        }
        return topology;
    }

    /** {@code reserved} as written (it may be relative, {@code +0}); null when the config reserves none. */
    public CpuList reservedList() {
        return reservedList;
    }

    /** {@code cpuset-watch} in milliseconds; 0 when {@code off}. */
    public long cpusetWatchMillis() {
        return cpusetWatchMillis;
    }

    /** {@code lock-dir}, or null for OpenHFT's default: the JVM's {@code java.io.tmpdir}. */
    public Path lockDirectory() {
        return lockDirectory;
    }

    /** Whether some rule matches plain threads by name ({@code pool = any-thread}). */
    public boolean hasAnyThreadRules() {
        for (Rule r : rules) {
            if (r.pool() == PoolKind.ANY_THREAD) {
                return true;
            }
        }
        return false;
    }

    /** Whether any rule locks its CPUs host-wide. */
    public boolean hasExclusiveRule() {
        for (Rule r : rules) {
            if (r.exclusive()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The same config re-planned for a new cpuset: its rules resolved anew
     * ({@code cpuset.RuleReresolution}), the process's new CPUs and layout.
     */
    public AgentConfig replannedFor(List<Rule> newRules, CpuSet newProcessCpus, CpuSet newReserved,
                                    CpuTopology newTopology) {
        return new AgentConfig(file, newRules, onError, logLevel, newProcessCpus, newReserved, newTopology,
                reservedList, cpusetWatchMillis, lockDirectory);
    }

    /** Whether any rule needs to know cores, sockets or nodes. */
    public boolean usesTopology() {
        for (Rule r : rules) {
            if (r.strategy().usesTopology() || (r.cpuList() != null && r.cpuList().usesTopology())) {
                return true;
            }
        }
        return false;
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
