package io.affinityagent.demo;

import io.affinityagent.config.PoolKind;

/** A pool worker as the demo saw it: it reported its name and native id from its first task. */
final class PoolWorker {
    final String name;
    final int tid;
    final PoolKind kind;
    final Class<?> poolClass;

    PoolWorker(String name, int tid, PoolKind kind, Class<?> poolClass) {
        this.name = name;
        this.tid = tid;
        this.kind = kind;
        this.poolClass = poolClass;
    }
}
