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

    private final Map<Key<K>, V> map = new HashMap<>();
    private final ReferenceQueue<K> queue = new ReferenceQueue<>();
    private final BiConsumer<Object, V> onCollected;

    /** @param onCollected told about each value whose key was collected (may be null) */
    WeakIdentityMap(BiConsumer<Object, V> onCollected) {
        this.onCollected = onCollected;
    }

    V get(K key) {
        expunge();
        return map.get(new Key<>(key, null));
    }

    V put(K key, V value) {
        expunge();
        return map.put(new Key<>(key, queue), value);
    }

    V remove(K key) {
        expunge();
        return map.remove(new Key<>(key, null));
    }

    int size() {
        expunge();
        return map.size();
    }

    /** The live entries, as (key, value) pairs copied out. */
    List<Map.Entry<K, V>> entries() {
        expunge();
        List<Map.Entry<K, V>> out = new ArrayList<>(map.size());
        for (Map.Entry<Key<K>, V> e : map.entrySet()) {
            K k = e.getKey().get();
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
