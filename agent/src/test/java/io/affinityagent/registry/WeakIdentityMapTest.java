package io.affinityagent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

    /** A key class that claims every instance is equal; the map must not believe it, nor ask. */
    static final class AllEqual {
        static int equalsCalls;
        static int hashCodeCalls;

        @Override
        public boolean equals(Object o) {
            equalsCalls++;
            return o instanceof AllEqual;
        }

        @Override
        public int hashCode() {
            hashCodeCalls++;
            return 42;
        }
    }

    @Test
    void putGetRemoveAndSize() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(null);
        Object a = new Object();
        Object b = new Object();

        assertThat(map.put(a, "a")).isNull();
        assertThat(map.put(b, "b")).isNull();
        assertThat(map.size()).isEqualTo(2);
        assertThat(map.get(a)).isEqualTo("a");
        assertThat(map.put(a, "a2")).isEqualTo("a");
        assertThat(map.get(a)).isEqualTo("a2");
        assertThat(map.size()).isEqualTo(2);
        assertThat(map.remove(a)).isEqualTo("a2");
        assertThat(map.remove(a)).isNull();
        assertThat(map.get(a)).isNull();
        assertThat(map.size()).isEqualTo(1);
        assertThat(map.get(new Object())).isNull();
    }

    @Test
    void keysAreComparedByIdentityWithoutCallingTheirEqualsOrHashCode() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(null);
        AllEqual x = new AllEqual();
        AllEqual y = new AllEqual();
        String s1 = new String("same");
        String s2 = new String("same");
        AllEqual.equalsCalls = 0;
        AllEqual.hashCodeCalls = 0;

        map.put(x, "x");
        map.put(y, "y");
        map.put(s1, "s1");
        map.put(s2, "s2");

        assertThat(map.size()).isEqualTo(4);
        assertThat(map.get(x)).isEqualTo("x");
        assertThat(map.get(y)).isEqualTo("y");
        assertThat(map.get(s1)).isEqualTo("s1");
        assertThat(map.get(s2)).isEqualTo("s2");
        assertThat(map.remove(x)).isEqualTo("x");
        assertThat(map.get(y)).isEqualTo("y");
        assertThat(AllEqual.equalsCalls).isZero();
        assertThat(AllEqual.hashCodeCalls).isZero();
    }

    @Test
    void entriesAreCopiedOut() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>(null);
        Object a = new Object();
        map.put(a, "a");

        List<Map.Entry<Object, String>> entries = map.entries();
        map.remove(a);

        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isSameAs(a);
            assertThat(e.getValue()).isEqualTo("a");
        });
        assertThat(map.entries()).isEmpty();
    }

    @Test
    void collectedKeyIsExpungedAndItsValueHandedToTheCallback() {
        List<String> collected = new ArrayList<>();
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>((ref, value) -> collected.add(value));
        Object kept = new Object();
        map.put(kept, "kept");
        putGarbageKey(map, "gone");

        Await.untilCollected("the dropped key is expunged", Duration.ofSeconds(20), () -> map.size() == 1);

        assertThat(collected).containsExactly("gone");
        assertThat(map.get(kept)).isEqualTo("kept");
        assertThat(map.entries()).extracting(Map.Entry::getValue).containsExactly("kept");
    }

    @Test
    void removedKeyIsNotReportedAsCollectedLater() {
        List<String> collected = new ArrayList<>();
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>((ref, value) -> collected.add(value));
        putAndRemove(map);
        putGarbageKey(map, "marker");

        // size() expunges. The removed key was dropped first and is as collectable as the marker's,
        // but its entry was already removed: whenever its reference is cleared, it is not reported.
        Await.untilCollected("the marker key is expunged", Duration.ofSeconds(20), () -> map.size() == 0);
        assertThat(collected).containsExactly("marker");
    }

    private static void putGarbageKey(WeakIdentityMap<Object, String> map, String value) {
        map.put(new Object(), value);
    }

    private static void putAndRemove(WeakIdentityMap<Object, String> map) {
        Object k = new Object();
        map.put(k, "removed");
        map.remove(k);
    }
}
