package io.affinityagent.config;

import io.affinityagent.cpu.CpuSet;

/**
 * One rule of the config, with its CPUs resolved for this process. A worker matches when every
 * selector the rule gives matches; a rule always gives at least one.
 */
public final class Rule {

    private final String name;
    private final ThreadNameGlob threadName;
    private final PoolKind pool;
    private final String poolClass;
    private final CpuList cpuList;
    private final CpuSet cpus;
    private final Strategy strategy;
    private final boolean shareCpus;
    private final boolean exclusive;
    private final WhenHeld whenHeld;

    public Rule(String name, ThreadNameGlob threadName, PoolKind pool, String poolClass,
                CpuList cpuList, CpuSet cpus, Strategy strategy) {
        this(name, threadName, pool, poolClass, cpuList, cpus, strategy, false);
    }

    public Rule(String name, ThreadNameGlob threadName, PoolKind pool, String poolClass,
                CpuList cpuList, CpuSet cpus, Strategy strategy, boolean shareCpus) {
        this(name, threadName, pool, poolClass, cpuList, cpus, strategy, shareCpus, false, WhenHeld.WAIT);
    }

    public Rule(String name, ThreadNameGlob threadName, PoolKind pool, String poolClass,
                CpuList cpuList, CpuSet cpus, Strategy strategy, boolean shareCpus,
                boolean exclusive, WhenHeld whenHeld) {
        this.exclusive = exclusive;
        this.whenHeld = whenHeld;
        this.name = name;
        this.threadName = threadName;
        this.pool = pool;
        this.poolClass = poolClass;
        this.cpuList = cpuList;
        this.cpus = cpus;
        this.strategy = strategy;
        this.shareCpus = shareCpus;
    }

    public String name() {
        return name;
    }

    public ThreadNameGlob threadName() {
        return threadName;
    }

    public PoolKind pool() {
        return pool;
    }

    public String poolClass() {
        return poolClass;
    }

    public CpuList cpuList() {
        return cpuList;
    }

    /** The CPUs after dropping those the process may not use. */
    public CpuSet cpus() {
        return cpus;
    }

    public Strategy strategy() {
        return strategy;
    }

    /** {@code share-cpus = true}: the rule is meant to share CPUs with other rules; no overlap warning. */
    public boolean shareCpus() {
        return shareCpus;
    }

    /** {@code exclusive = true}: the CPUs this rule places workers on are locked host-wide. */
    public boolean exclusive() {
        return exclusive;
    }

    /** What a new worker of an exclusive rule does when every CPU of the rule is held elsewhere. */
    public WhenHeld whenHeld() {
        return whenHeld;
    }

    /** The same rule with its CPUs resolved anew (the process's cpuset changed). */
    public Rule withCpus(CpuSet newCpus) {
        return new Rule(name, threadName, pool, poolClass, cpuList, newCpus, strategy, shareCpus, exclusive, whenHeld);
    }

    /**
     * Whether a new worker matches. A rule without {@code pool} matches the workers of every
     * pool kind, but a thread that is no pool worker ({@link PoolKind#ANY_THREAD}) only matches
     * a rule that says {@code pool = any-thread}.
     *
     * @param poolType the executor's class: {@code pool-class} matches it or any superclass;
     *                 null for {@code any-thread}
     */
    public boolean matches(String workerName, PoolKind workerPoolKind, Class<?> poolType) {
        if (pool == null ? workerPoolKind == PoolKind.ANY_THREAD : pool != workerPoolKind) {
            return false;
        }
        if (threadName != null && !threadName.matches(workerName)) {
            return false;
        }
        if (poolClass != null) {
            for (Class<?> c = poolType; ; c = c.getSuperclass()) {
                if (c == null) {
                    return false;
                }
                if (c.getName().equals(poolClass)) {
                    break;
                }
            }
        }
        return true;
    }

    /** The selectors as the config wrote them: {@code thread-name=order-* pool=thread-pool}. */
    public String selectorText() {
        StringBuilder sb = new StringBuilder();
        if (threadName != null) {
            sb.append("thread-name=").append(threadName);
        }
        if (pool != null) {
            sb.append(sb.length() > 0 ? " " : "").append("pool=").append(pool.configName());
        }
        if (poolClass != null) {
            sb.append(sb.length() > 0 ? " " : "").append("pool-class=").append(poolClass);
        }
        return sb.toString();
    }
}
