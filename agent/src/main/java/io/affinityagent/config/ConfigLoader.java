package io.affinityagent.config;

import io.affinityagent.cpu.CpuSet;
import io.affinityagent.cpu.CpuTopology;
import io.affinityagent.log.LogLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a config file. Every problem is collected (not just the first), each
 * naming the file, the line and the key; any error means no config at all, never a partial one.
 */
public final class ConfigLoader {

    static final String RULES = "rules";
    static final String ON_ERROR = "on-error";
    static final String LOG = "log";
    static final String TOPOLOGY = "topology";
    static final String RESERVED = "reserved";
    static final String CPUSET_WATCH = "cpuset-watch";
    static final String LOCK_DIR = "lock-dir";
    static final List<String> TOP_LEVEL_KEYS = List.of(RULES, ON_ERROR, LOG, TOPOLOGY, RESERVED, CPUSET_WATCH, LOCK_DIR);

    static final String THREAD_NAME = "thread-name";
    static final String POOL = "pool";
    static final String POOL_CLASS = "pool-class";
    static final String CPUS = "cpus";
    static final String STRATEGY = "strategy";
    static final String SHARE_CPUS = "share-cpus";
    static final String EXCLUSIVE = "exclusive";
    static final String WHEN_HELD = "when-held";
    static final List<String> RULE_KEYS = List.of(THREAD_NAME, POOL, POOL_CLASS, CPUS, STRATEGY, SHARE_CPUS, EXCLUSIVE,
            WHEN_HELD);

    /** OpenHFT's lock checker keeps one lock per CPU id below this. */
    public static final int MAX_LOCKABLE_CPU = 255;

    /** "Did you mean" for the first few unknown rule names only, and only among a sane number of rules. */
    static final int MAX_SUGGESTED_NAMES = 20;
    static final int MAX_SUGGESTION_CANDIDATES = 1000;

    /** Whom the rules are resolved for. */
    public enum Target {
        /**
         * This process: its allowed CPUs; a topology file, if the config names one, only says how
         * they are laid out (CPUs it does not describe are left out). What the agent does.
         */
        THIS_PROCESS,
        /**
         * The machine a topology file describes, every CPU of it usable: a plan for another
         * machine ({@code check}). Without a topology file, the same as {@link #THIS_PROCESS}.
         */
        TOPOLOGY_FILE
    }

    /** Values given on the -javaagent line; they win over the file. */
    public static final class Overrides {
        public static final Overrides NONE = new Overrides(null, null);
        final OnError onError;
        final LogLevel logLevel;

        public Overrides(OnError onError, LogLevel logLevel) {
            this.onError = onError;
            this.logLevel = logLevel;
        }
    }

    /** The outcome: a config when there is no error, and every problem found either way. */
    public static final class Result {
        private final AgentConfig config;
        private final List<ConfigProblem> problems;
        private final OnError onError;
        private final LogLevel logLevel;

        Result(AgentConfig config, List<ConfigProblem> problems, OnError onError, LogLevel logLevel) {
            this.config = config;
            this.problems = List.copyOf(problems);
            this.onError = onError;
            this.logLevel = logLevel;
        }

        /** The config, or null when there was an error. */
        public AgentConfig config() {
            return config;
        }

        public List<ConfigProblem> problems() {
            return problems;
        }

        public List<ConfigProblem> errors() {
            List<ConfigProblem> errors = new ArrayList<>();
            for (ConfigProblem p : problems) {
                if (p.isError()) {
                    errors.add(p);
                }
            }
            return errors;
        }

        public boolean ok() {
            return config != null;
        }

        /** What to do about errors, known even when the file is broken (default warn). */
        public OnError onError() {
            return onError;
        }

        public LogLevel logLevel() {
            return logLevel;
        }
    }

    private ConfigLoader() {
    }

    public static Result load(Path file, CpuContext cpus, Overrides overrides) {
        return load(file, cpus, overrides, Target.THIS_PROCESS);
    }

    public static Result load(Path file, CpuContext cpus, Overrides overrides, Target target) {
        List<ConfigProblem> problems = new ArrayList<>();
        PropertiesFile props = PropertiesFile.read(file, problems);
        if (props == null) {
            return new Result(null, problems, orDefault(overrides.onError, OnError.WARN),
                    orDefault(overrides.logLevel, LogLevel.INFO));
        }
        return load(props, cpus, overrides, problems, target);
    }

    public static Result load(PropertiesFile props, CpuContext cpus, Overrides overrides, List<ConfigProblem> problems) {
        return load(props, cpus, overrides, problems, Target.THIS_PROCESS);
    }

    public static Result load(PropertiesFile props, CpuContext machine, Overrides overrides, List<ConfigProblem> problems,
                              Target target) {
        Path file = props.file();
        PropertiesFile.Entry onErrorEntry = props.get(ON_ERROR);
        OnError onError = onErrorEntry == null ? null : OnError.fromConfigName(onErrorEntry.value());
        if (onErrorEntry != null && onError == null) {
            problems.add(ConfigProblem.error(file, onErrorEntry.line(), ON_ERROR, "'" + onErrorEntry.value()
                    + "' is not valid; expected warn | fail"));
        }
        PropertiesFile.Entry logEntry = props.get(LOG);
        LogLevel logLevel = logEntry == null ? null : LogLevel.fromConfigName(logEntry.value());
        if (logEntry != null && logLevel == null) {
            problems.add(ConfigProblem.error(file, logEntry.line(), LOG, "'" + logEntry.value()
                    + "' is not valid; expected quiet | info | debug"));
        }
        onError = orDefault(overrides.onError, orDefault(onError, OnError.WARN));
        logLevel = orDefault(overrides.logLevel, orDefault(logLevel, LogLevel.INFO));

        // Group rule.NAME.KEY entries by rule, in the order rules first appear.
        Map<String, Map<String, PropertiesFile.Entry>> ruleEntries = new LinkedHashMap<>();
        for (PropertiesFile.Entry e : props.entries()) {
            String key = e.key();
            if (TOP_LEVEL_KEYS.contains(key)) {
                continue;
            }
            if (key.startsWith("rule.")) {
                int dot = key.lastIndexOf('.');
                String name = dot > 5 ? key.substring(5, dot) : "";
                String prop = dot > 5 ? key.substring(dot + 1) : "";
                if (!isRuleName(name)) {
                    problems.add(ConfigProblem.error(file, e.line(), key, "a rule key is rule.NAME.KEY, with NAME made of"
                            + " letters, digits, '_' and '-'"));
                    continue;
                }
                if (!RULE_KEYS.contains(prop)) {
                    problems.add(ConfigProblem.error(file, e.line(), key, "unknown rule key '" + prop + "'; expected one of "
                            + join(RULE_KEYS) + suggestion(prop, RULE_KEYS)));
                    continue;
                }
                Map<String, PropertiesFile.Entry> keys = ruleEntries.get(name);
                if (keys == null) {
                    keys = new LinkedHashMap<>();
                    ruleEntries.put(name, keys);
                }
                keys.put(prop, e);
                continue;
            }
            List<String> known = new ArrayList<>(TOP_LEVEL_KEYS);
            known.add("rule.NAME.KEY");
            problems.add(ConfigProblem.error(file, e.line(), key, "unknown key; expected one of " + join(known)
                    + suggestion(key, TOP_LEVEL_KEYS)));
        }

        long watchMillis = cpusetWatch(props, problems);
        Path lockDirectory = lockDirectory(props, problems);
        CpuContext cpus = withTopologyFile(props, machine, target, problems);
        CpuSet reserved = reserved(props, cpus, problems);
        List<String> order = ruleOrder(props, ruleEntries, problems);
        List<Rule> rules = new ArrayList<>();
        for (String name : order) {
            Rule rule = parseRule(file, name, ruleEntries.get(name), cpus, reserved, props.get(RESERVED), problems);
            if (rule != null) {
                rules.add(rule);
            }
        }
        if (order.isEmpty() && countErrors(problems) == 0) {
            problems.add(ConfigProblem.error(file, 0, null, "defines no rule; add rule.NAME.cpus and a selector"
                    + " (thread-name, pool or pool-class)"));
        }
        warnAboutOverlaps(file, rules, ruleEntries, problems);
        boolean hasError = countErrors(problems) > 0;
        AgentConfig config = null;
        if (!hasError) {
            AgentConfig flat = new AgentConfig(file, rules, onError, logLevel, cpus.allowed());
            // The layout is read (sysfs) only when a rule needs it, or when the config names a file.
            boolean needsTopology = flat.usesTopology() || props.get(TOPOLOGY) != null || target == Target.TOPOLOGY_FILE;
            CpuTopology topology = needsTopology ? cpus.topology() : null;
            if (flat.usesTopology() && cpus.topologyProblem() != null) {
                problems.add(ConfigProblem.warning(file, 0, null, cpus.topologyProblem() + "; spread, compact,"
                        + " per-core, node: and socket: take every CPU as a core of its own, on socket 0 and node 0"));
            }
            // For this process, its real mask (what a thread that inherited a pinned mask gets back),
            // even when a topology file describes only some of its CPUs.
            CpuSet processCpus = target == Target.TOPOLOGY_FILE ? cpus.allowed() : machine.allowed();
            config = new AgentConfig(file, rules, onError, logLevel, processCpus, reserved, topology,
                    reservedList(props), watchMillis, lockDirectory);
        }
        return new Result(config, problems, onError, logLevel);
    }

    /**
     * The CPUs and layout to resolve the rules with: the machine's, or those of the topology file
     * the config names (relative to the config's folder), as {@code target} says.
     */
    private static CpuContext withTopologyFile(PropertiesFile props, CpuContext machine, Target target,
                                               List<ConfigProblem> problems) {
        PropertiesFile.Entry e = props.get(TOPOLOGY);
        if (e == null) {
            return machine;
        }
        Path file = props.file();
        if (e.value().isEmpty()) {
            problems.add(ConfigProblem.error(file, e.line(), TOPOLOGY, "is empty; expected a topology file, one line per"
                    + " CPU: cpu=N core=C socket=S node=M"));
            return machine;
        }
        Path topologyFile = java.nio.file.Paths.get(e.value());
        if (!topologyFile.isAbsolute() && file != null && file.toAbsolutePath().getParent() != null) {
            topologyFile = file.toAbsolutePath().getParent().resolve(topologyFile);
        }
        List<ConfigProblem> fileProblems = new ArrayList<>();
        CpuTopology topology = TopologyFile.read(topologyFile, fileProblems);
        problems.addAll(fileProblems);
        if (topology == null) {
            problems.add(ConfigProblem.error(file, e.line(), TOPOLOGY, "'" + topologyFile + "' is not a usable topology"
                    + " file (see above)"));
            return machine;
        }
        if (target == Target.TOPOLOGY_FILE) {
            return CpuContext.of(topology.cpus(), topology);
        }
        CpuSet allowed = machine.allowed().intersect(topology.cpus());
        CpuSet undescribed = machine.allowed().minus(topology.cpus());
        if (allowed.isEmpty()) {
            problems.add(ConfigProblem.error(file, e.line(), TOPOLOGY, topologyFile + " describes CPUs " + topology.cpus()
                    + ", none of which this process may use (it may use " + machine.allowed() + ")"));
            return machine;
        }
        if (!undescribed.isEmpty()) {
            problems.add(ConfigProblem.warning(file, e.line(), TOPOLOGY, "CPUs " + undescribed + " that this process may"
                    + " use are not in " + topologyFile + "; no rule uses them"));
        }
        return CpuContext.of(allowed, topology.restrictTo(allowed));
    }

    /** {@code cpuset-watch = 1s | 250ms | off}; the default when absent. */
    private static long cpusetWatch(PropertiesFile props, List<ConfigProblem> problems) {
        PropertiesFile.Entry e = props.get(CPUSET_WATCH);
        if (e == null) {
            return CpusetWatchInterval.DEFAULT_MILLIS;
        }
        try {
            return CpusetWatchInterval.parseMillis(e.value());
        } catch (IllegalArgumentException ex) {
            problems.add(ConfigProblem.error(props.file(), e.line(), CPUSET_WATCH, ex.getMessage()));
            return CpusetWatchInterval.DEFAULT_MILLIS;
        }
    }

    /**
     * {@code lock-dir = /path}: where exclusive rules' lock files live; null (absent) means
     * OpenHFT's default, the JVM's {@code java.io.tmpdir}. Absolute, since JVMs that share CPUs
     * must name the same folder whatever their working directory.
     */
    private static Path lockDirectory(PropertiesFile props, List<ConfigProblem> problems) {
        PropertiesFile.Entry e = props.get(LOCK_DIR);
        if (e == null) {
            return null;
        }
        if (e.value().isEmpty() || !e.value().startsWith("/")) {
            problems.add(ConfigProblem.error(props.file(), e.line(), LOCK_DIR, "'" + e.value() + "' is not an absolute"
                    + " path; every JVM that shares CPUs must name the same folder, e.g. " + LOCK_DIR
                    + " = /var/run/affinity-locks"));
            return null;
        }
        return java.nio.file.Paths.get(e.value()).normalize();
    }

    /** {@code reserved} as written, kept to be resolved again when the cpuset changes; null when absent or bad. */
    private static CpuList reservedList(PropertiesFile props) {
        PropertiesFile.Entry e = props.get(RESERVED);
        if (e == null) {
            return null;
        }
        try {
            return CpuList.parse(e.value());
        } catch (CpuListException ex) {
            return null; // reported by reserved()
        }
    }

    /** {@code reserved = LIST}: CPUs no rule may use (for the OS, the GC, the JIT); empty when absent. */
    private static CpuSet reserved(PropertiesFile props, CpuContext cpus, List<ConfigProblem> problems) {
        PropertiesFile.Entry e = props.get(RESERVED);
        if (e == null) {
            return CpuSet.empty();
        }
        try {
            // CPUs the process may not use need no reserving: they are dropped without a word.
            return CpuList.parse(e.value()).resolve(cpus).intersect(cpus.allowed());
        } catch (CpuListException ex) {
            problems.add(ConfigProblem.error(props.file(), e.line(), RESERVED, ex.getMessage()));
            return CpuSet.empty();
        }
    }

    /**
     * Rules that share CPUs compete for them, which is rarely meant: one warning per pair, unless
     * one of the two says {@code share-cpus = true}.
     */
    private static void warnAboutOverlaps(Path file, List<Rule> rules,
                                          Map<String, Map<String, PropertiesFile.Entry>> ruleEntries,
                                          List<ConfigProblem> problems) {
        for (int j = 1; j < rules.size(); j++) {
            Rule later = rules.get(j);
            for (int i = 0; i < j; i++) {
                Rule earlier = rules.get(i);
                CpuSet shared = earlier.cpus().intersect(later.cpus());
                if (shared.isEmpty() || earlier.shareCpus() || later.shareCpus()) {
                    continue;
                }
                PropertiesFile.Entry at = ruleEntries.get(later.name()).get(CPUS);
                PropertiesFile.Entry other = ruleEntries.get(earlier.name()).get(CPUS);
                problems.add(ConfigProblem.warning(file, at.line(), at.key(), "shares CPU" + (shared.size() > 1 ? "s " : " ")
                        + shared + " with rule " + earlier.name() + " (" + other.key() + ", line " + other.line()
                        + "): workers of both rules will compete for " + (shared.size() > 1 ? "them" : "it")
                        + "; if that is intended, set rule." + later.name() + "." + SHARE_CPUS + " = true"));
            }
        }
    }

    private static List<String> ruleOrder(PropertiesFile props, Map<String, Map<String, PropertiesFile.Entry>> ruleEntries,
                                          List<ConfigProblem> problems) {
        Path file = props.file();
        PropertiesFile.Entry rulesEntry = props.get(RULES);
        if (rulesEntry == null) {
            return new ArrayList<>(ruleEntries.keySet()); // file order
        }
        Set<String> listed = new LinkedHashSet<>();
        String value = rulesEntry.value().trim();
        if (value.isEmpty()) {
            problems.add(ConfigProblem.error(file, rulesEntry.line(), RULES, "is empty; list the rules to apply, in order,"
                    + " e.g. rules = orders, batch"));
            return List.of();
        }
        int unknown = 0;
        for (String raw : value.replace(',', ' ').replace('\t', ' ').split(" ")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!listed.add(name)) {
                problems.add(ConfigProblem.error(file, rulesEntry.line(), RULES, "lists '" + name + "' twice"));
            } else if (!ruleEntries.containsKey(name)) {
                // Suggestions cost (names listed) x (rules defined): bounded, or a hostile file hangs the JVM's start.
                boolean suggest = unknown++ < MAX_SUGGESTED_NAMES && ruleEntries.size() <= MAX_SUGGESTION_CANDIDATES;
                problems.add(ConfigProblem.error(file, rulesEntry.line(), RULES, "lists '" + name + "' but there is no"
                        + " rule." + name + ".* key" + (suggest ? suggestion(name, ruleEntries.keySet()) : "")));
            }
        }
        for (Map.Entry<String, Map<String, PropertiesFile.Entry>> r : ruleEntries.entrySet()) {
            if (!listed.contains(r.getKey())) {
                PropertiesFile.Entry first = r.getValue().values().iterator().next();
                problems.add(ConfigProblem.warning(file, first.line(), first.key(), "rule '" + r.getKey()
                        + "' is not listed in 'rules' (line " + rulesEntry.line() + "); it is ignored"));
            }
        }
        List<String> order = new ArrayList<>();
        for (String name : listed) {
            if (ruleEntries.containsKey(name)) {
                order.add(name);
            }
        }
        return order;
    }

    private static Rule parseRule(Path file, String name, Map<String, PropertiesFile.Entry> keys, CpuContext cpus,
                                  CpuSet reserved, PropertiesFile.Entry reservedEntry, List<ConfigProblem> problems) {
        int problemsBefore = problems.size(); // count only this rule's: counting them all per rule is quadratic
        int firstLine = Integer.MAX_VALUE;
        for (PropertiesFile.Entry k : keys.values()) {
            firstLine = Math.min(firstLine, k.line());
        }
        String prefix = "rule." + name + ".";

        ThreadNameGlob threadName = null;
        PropertiesFile.Entry e = keys.get(THREAD_NAME);
        if (e != null) {
            if (e.value().isEmpty()) {
                problems.add(ConfigProblem.error(file, e.line(), e.key(), "is empty; expected a glob on thread names,"
                        + " e.g. order-* (* is any run of characters, ? any one)"));
            } else {
                threadName = new ThreadNameGlob(e.value());
            }
        }
        PoolKind pool = null;
        e = keys.get(POOL);
        if (e != null) {
            pool = PoolKind.fromConfigName(e.value());
            if (pool == null) {
                problems.add(ConfigProblem.error(file, e.line(), e.key(), "'" + e.value() + "' is not a pool kind; expected "
                        + PoolKind.allConfigNames()));
            }
        }
        String poolClass = null;
        e = keys.get(POOL_CLASS);
        if (e != null) {
            if (!isClassName(e.value())) {
                problems.add(ConfigProblem.error(file, e.line(), e.key(), "'" + e.value() + "' is not a class name;"
                        + " expected a fully qualified name such as com.example.OrderExecutor"));
            } else {
                poolClass = e.value();
            }
        }
        if (!keys.containsKey(THREAD_NAME) && !keys.containsKey(POOL) && !keys.containsKey(POOL_CLASS)) {
            problems.add(ConfigProblem.error(file, firstLine, "rule." + name, "has no selector, so it would match"
                    + " nothing; give " + prefix + THREAD_NAME + ", " + prefix + POOL + " or " + prefix + POOL_CLASS));
        }
        if (pool == PoolKind.ANY_THREAD) {
            PropertiesFile.Entry poolEntry = keys.get(POOL);
            if (!keys.containsKey(THREAD_NAME)) {
                problems.add(ConfigProblem.error(file, poolEntry.line(), poolEntry.key(), "any-thread matches threads by"
                        + " name; give " + prefix + THREAD_NAME + " too (a glob such as qtp*)"));
            }
            if (keys.containsKey(POOL_CLASS)) {
                problems.add(ConfigProblem.error(file, keys.get(POOL_CLASS).line(), prefix + POOL_CLASS, "cannot be used"
                        + " with pool = any-thread: such threads belong to no j.u.c. pool"));
            }
        }

        boolean shareCpus = false;
        e = keys.get(SHARE_CPUS);
        if (e != null) {
            if (e.value().equals("true") || e.value().equals("false")) {
                shareCpus = e.value().equals("true");
            } else {
                problems.add(ConfigProblem.error(file, e.line(), e.key(), "'" + e.value() + "' is not valid; expected"
                        + " true | false"));
            }
        }

        boolean exclusive = false;
        e = keys.get(EXCLUSIVE);
        if (e != null) {
            if (e.value().equals("true") || e.value().equals("false")) {
                exclusive = e.value().equals("true");
            } else {
                problems.add(ConfigProblem.error(file, e.line(), e.key(), "'" + e.value() + "' is not valid; expected"
                        + " true | false"));
            }
        }
        WhenHeld whenHeld = WhenHeld.WAIT;
        e = keys.get(WHEN_HELD);
        if (e != null) {
            whenHeld = WhenHeld.fromConfigName(e.value());
            if (whenHeld == null) {
                problems.add(ConfigProblem.error(file, e.line(), e.key(), "'" + e.value() + "' is not valid; expected "
                        + WhenHeld.allConfigNames()));
                whenHeld = WhenHeld.WAIT;
            } else if (!exclusive) {
                problems.add(ConfigProblem.warning(file, e.line(), e.key(), "has no effect without " + prefix + EXCLUSIVE
                        + " = true"));
            }
        }

        Strategy strategy = Strategy.ROUND_ROBIN;
        e = keys.get(STRATEGY);
        if (e != null) {
            strategy = Strategy.fromConfigName(e.value());
            if (strategy == null) {
                problems.add(ConfigProblem.error(file, e.line(), e.key(), "'" + e.value() + "' is not a strategy; expected "
                        + Strategy.allConfigNames()));
            }
        }

        CpuList cpuList = null;
        CpuSet resolved = null;
        e = keys.get(CPUS);
        if (e == null) {
            problems.add(ConfigProblem.error(file, firstLine, prefix + CPUS, "is missing; every rule needs its CPUs,"
                    + " e.g. " + prefix + CPUS + " = 2-3"));
        } else {
            try {
                cpuList = CpuList.parse(e.value());
                List<String> notes = new ArrayList<>();
                CpuSet requested = cpuList.resolve(cpus, notes);
                for (String note : notes) {
                    problems.add(ConfigProblem.warning(file, e.line(), e.key(), note));
                }
                CpuSet dropped = requested.minus(cpus.allowed());
                CpuSet available = requested.intersect(cpus.allowed());
                resolved = available.minus(reserved);
                // all, node: and socket: leave reserved CPUs out silently; CPUs named one by one get a word.
                CpuSet namedReserved = cpuList.explicitCpus(cpus).intersect(reserved);
                if (requested.isEmpty()) {
                    problems.add(ConfigProblem.error(file, e.line(), e.key(), "'" + cpuList + "' names no CPU this"
                            + " process may use (it may use " + cpus.allowed() + ")"));
                } else if (available.isEmpty()) {
                    problems.add(ConfigProblem.error(file, e.line(), e.key(), "none of CPUs " + requested
                            + " is available to this process (it may use " + cpus.allowed() + ")"));
                } else if (resolved.isEmpty()) {
                    problems.add(ConfigProblem.error(file, e.line(), e.key(), "every CPU of the rule (" + available
                            + ") is reserved (" + RESERVED + " = " + reservedEntry.value() + ", line " + reservedEntry.line()
                            + "); the rule would have none"));
                } else {
                    if (!dropped.isEmpty()) {
                        problems.add(ConfigProblem.warning(file, e.line(), e.key(), "CPUs " + dropped + " are not available"
                                + " to this process (it may use " + cpus.allowed() + "); the rule uses " + resolved));
                    }
                    CpuSet unlockable = resolved.minus(CpuSet.range(0, MAX_LOCKABLE_CPU));
                    if (exclusive && !unlockable.isEmpty()) {
                        problems.add(ConfigProblem.warning(file, e.line(), e.key(), "CPUs " + unlockable + " cannot be"
                                + " locked host-wide (OpenHFT's lock files stop at CPU " + MAX_LOCKABLE_CPU + "); "
                                + prefix + EXCLUSIVE + " treats them as held elsewhere"));
                    }
                    if (!namedReserved.isEmpty()) {
                        problems.add(ConfigProblem.warning(file, e.line(), e.key(), "CPU" + (namedReserved.size() > 1 ? "s " : " ")
                                + namedReserved + (namedReserved.size() > 1 ? " are" : " is") + " reserved (" + RESERVED
                                + ", line " + reservedEntry.line() + "); the rule uses " + resolved));
                    }
                }
            } catch (CpuListException ex) {
                problems.add(ConfigProblem.error(file, e.line(), e.key(), ex.getMessage()));
            }
        }
        if (countErrors(problems.subList(problemsBefore, problems.size())) > 0) {
            return null;
        }
        return new Rule(name, threadName, pool, poolClass, cpuList, resolved, strategy, shareCpus, exclusive, whenHeld);
    }

    private static int countErrors(List<ConfigProblem> problems) {
        int n = 0;
        for (ConfigProblem p : problems) {
            if (p.isError()) {
                n++;
            }
        }
        return n;
    }

    /** Letters, digits, '_' and '-': a name that cannot be confused with the key's dots. */
    static boolean isRuleName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** A binary class name: Java identifiers separated by dots ("$" is an identifier character). */
    static boolean isClassName(String name) {
        boolean atStart = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (atStart) {
                    return false;
                }
                atStart = true;
            } else if (atStart ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) {
                atStart = false;
            } else {
                return false;
            }
        }
        return !atStart;
    }

    private static String join(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            sb.append(sb.length() > 0 ? ", " : "").append(w);
        }
        return sb.toString();
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** "; did you mean 'thread-name'?" when a known word is one or two edits away. */
    static String suggestion(String word, Iterable<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = editDistance(word, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    private static int editDistance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 64 || b.length() > 64) {
            return Integer.MAX_VALUE;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
