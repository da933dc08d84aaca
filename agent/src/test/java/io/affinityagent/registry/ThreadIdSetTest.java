package io.affinityagent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThreadIdSetTest {

    @Test
    void agreesWithAHashSetUnderRandomAddsAndRemovesThroughGrowth() {
        ThreadIdSet ids = new ThreadIdSet();
        Set<Integer> expected = new HashSet<>();
        Random random = new Random(11);
        for (int step = 0; step < 200_000; step++) {
            int id = 1 + random.nextInt(2_000); // crowded: many collisions, and growth past 128 ids
            if (random.nextInt(3) == 0) {
                ids.remove(id);
                expected.remove(id);
            } else {
                ids.add(id);
                expected.add(id);
            }
            if (step % 1_000 == 0) {
                for (int probe = 1; probe <= 2_000; probe++) {
                    assertThat(ids.contains(probe)).as("id %d at step %d", probe, step).isEqualTo(expected.contains(probe));
                }
            }
        }
        for (int id : expected) {
            ids.remove(id);
        }
        assertThat(ids.isEmpty()).isTrue();
    }

    @Test
    void idsThatNoThreadHasAreNeverMembers() {
        ThreadIdSet ids = new ThreadIdSet();
        ids.add(0);
        ids.add(-1);
        assertThat(ids.isEmpty()).isTrue();
        assertThat(ids.contains(0)).isFalse();
        ids.remove(0);
        assertThat(ids.isEmpty()).isTrue();
    }
}
