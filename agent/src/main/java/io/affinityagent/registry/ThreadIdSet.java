package io.affinityagent.registry;

/**
 * A set of native thread ids that adds and removes without allocating (open addressing, linear
 * probing, deletion by shifting back), so that a worker's start, which adds its id, allocates
 * nothing; it allocates only to grow, past half full. Its emptiness is read without a lock, on
 * every Thread.start.
 */
final class ThreadIdSet {

    private static final int FREE = 0; // no thread has id 0

    private int[] ids = new int[256];
    private volatile int size;

    boolean isEmpty() {
        return size == 0;
    }

    synchronized boolean contains(int id) {
        if (id <= 0) {
            return false;
        }
        int[] t = ids;
        for (int i = indexOf(id, t.length); ; i = (i + 1) & (t.length - 1)) {
            if (t[i] == id) {
                return true;
            }
            if (t[i] == FREE) {
                return false;
            }
        }
    }

    synchronized void add(int id) {
        if (id <= 0) {
            return;
        }
        if ((size + 1) * 2 > ids.length) {
            grow();
        }
        if (insert(ids, id)) {
            size++;
        }
    }

    synchronized void remove(int id) {
        if (id <= 0) {
            return;
        }
        int[] t = ids;
        int mask = t.length - 1;
        int i = indexOf(id, t.length);
        while (t[i] != id) {
            if (t[i] == FREE) {
                return;
            }
            i = (i + 1) & mask;
        }
        // Shift back the entries after it whose home is at or before the hole, so no probe stops early.
        for (int j = (i + 1) & mask; t[j] != FREE; j = (j + 1) & mask) {
            int home = indexOf(t[j], t.length);
            if (((j - home) & mask) >= ((j - i) & mask)) {
                t[i] = t[j];
                i = j;
            }
        }
        t[i] = FREE;
        size--;
    }

    private void grow() {
        int[] bigger = new int[ids.length * 2];
        for (int id : ids) {
            if (id != FREE) {
                insert(bigger, id);
            }
        }
        ids = bigger;
    }

    private static boolean insert(int[] t, int id) {
        for (int i = indexOf(id, t.length); ; i = (i + 1) & (t.length - 1)) {
            if (t[i] == id) {
                return false;
            }
            if (t[i] == FREE) {
                t[i] = id;
                return true;
            }
        }
    }

    private static int indexOf(int id, int length) {
        int h = id * 0x9E3779B9;
        return (h ^ (h >>> 16)) & (length - 1);
    }
}
