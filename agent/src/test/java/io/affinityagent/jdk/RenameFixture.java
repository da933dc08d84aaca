package io.affinityagent.jdk;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A class that refers to itself in every way a class file can (descriptors, arrays, lambdas,
 * method handles) and holds every kind of constant (int, long, float, double, string), for
 * renaming tests. Public so that a renamed copy can be called by reflection.
 */
public final class RenameFixture {

    public static final long BIG = 0x1234_5678_9ABC_DEF0L;
    public static double ratio = 2.5;

    private final long id;

    public RenameFixture(long id) {
        this.id = id;
    }

    public static RenameFixture create(long id) {
        return new RenameFixture(id);
    }

    public static RenameFixture[] pair(long first) {
        return new RenameFixture[] {create(first), create(first + 1)};
    }

    public long id() {
        return id;
    }

    public static String describe(long first) {
        RenameFixture[] p = pair(first);
        Function<RenameFixture, String> format = r -> Long.toHexString(r.id) + "/" + ratio + "/" + 1.5f + "/" + 100_000;
        Supplier<RenameFixture> seven = () -> create(7L);
        Function<Long, RenameFixture> byRef = RenameFixture::create;
        return format.apply(p[0]) + "," + format.apply(p[1]) + "," + seven.get().id() + "," + byRef.apply(9L).id()
                + "," + BIG + "," + Double.MAX_VALUE;
    }
}
