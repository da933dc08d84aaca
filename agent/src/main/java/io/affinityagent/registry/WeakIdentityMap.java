package io.affinityagent.registry;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A map from objects, by identity, to values, that forgets an entry once its key is garbage.
 * Identity matters: the keys are application objects (threads, pools) whose classes may
 * override equals and hashCode, and the agent must never call application code. Not
 * thread-safe; the registry guards it.
 *
 * <p>A look-up or removal allocates nothing: it probes with one reusable {@link Probe} (safe
 * because the map is only used under its owner's lock), so the hooks that run first on a new
 * thread do not make its first allocation (which sets up the thread's allocation buffer, a cost
 * the thread's own task would otherwise pay).
 */
final class WeakIdentityMap<K, V> {

    private static final class Key<K> extends WeakReference<K> {
        final int hash;

        Key(K referent, ReferenceQueue<? super K> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof Key)) {
                return false;
            }
            Object mine = get();
            return mine != null && mine == ((Key<?>) o).get();
        }
    }

    /**
     * A look-up key that is not a reference: equal to the {@link Key} of the same object. Reused
     * for every look-up, cleared after each so that it never holds an object alive.
     */
    private static final class Probe {
        Object referent;
        int hash;

        Probe set(Object o) {
            referent = o;
            hash = System.identityHashCode(o);
            return this;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && referent != null && ((Key<?>) o).get() == referent;
        }
    }

    private final Map<Object, V> map = new HashMap<>();
    private final Probe probe = new Probe();
    private final ReferenceQueue<K> queue = new ReferenceQueue<>();
    private final BiConsumer<Object, V> onCollected;

    /** @param onCollected told about each value whose key was collected (may be null) */
    WeakIdentityMap(BiConsumer<Object, V> onCollected) {
        this.onCollected = onCollected;
    }

    V get(K key) {
        expunge();
        try {
            return map.get(probe.set(key));
        } finally {
            probe.referent = null;
        }
    }

    V put(K key, V value) {
        expunge();
        return map.put(new Key<>(key, queue), value);
    }

    V remove(K key) {
        expunge();
        try {
            return map.remove(probe.set(key));
        } finally {
            probe.referent = null;
        }
    }

    int size() {
        expunge();
        return map.size();
    }

    /** The live entries, as (key, value) pairs copied out. */
    List<Map.Entry<K, V>> entries() {
        expunge();
        List<Map.Entry<K, V>> out = new ArrayList<>(map.size());
        for (Map.Entry<Object, V> e : map.entrySet()) {
            @SuppressWarnings("unchecked")
            K k = ((Key<K>) e.getKey()).get();
            if (k != null) {
                out.add(Map.entry(k, e.getValue()));
            }
        }
        return out;
    }

    /** Drops entries whose keys were collected. */
    void expunge() {
        Object ref;
        while ((ref = queue.poll()) != null) {
            V v = map.remove(ref);
            if (v != null && onCollected != null) {
                onCollected.accept(ref, v);
            }
        }
    }
}
