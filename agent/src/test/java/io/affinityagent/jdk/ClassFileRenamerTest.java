package io.affinityagent.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

class ClassFileRenamerTest {

    private static final String FIXTURE = "io/affinityagent/jdk/RenameFixture";

    static byte[] classBytes(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            assertThat(in).as("class file of %s", c).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void renamedClassDeclaresTheNewNameAndNoLongerMentionsTheOld() throws IOException {
        byte[] original = classBytes(RenameFixture.class);
        assertThat(ClassFileRenamer.mentions(original, FIXTURE)).isTrue();

        byte[] renamed = ClassFileRenamer.rename(original, FIXTURE, "test/Renamed");

        assertThat(ClassFileRenamer.mentions(renamed, FIXTURE)).isFalse();
        assertThat(ClassFileRenamer.mentions(renamed, "test/Renamed")).isTrue();
        ClassReader reader = new ClassReader(renamed);
        assertThat(reader.getClassName()).isEqualTo("test/Renamed");
        assertThat(reader.getSuperName()).isEqualTo("java/lang/Object");
        assertThat(reader.getItemCount()).as("constant pool size").isEqualTo(new ClassReader(original).getItemCount());
    }

    @Test
    void renamedClassLoadsAndBehavesLikeTheOriginal() throws Exception {
        byte[] renamed = ClassFileRenamer.rename(classBytes(RenameFixture.class), FIXTURE, "test/Renamed");

        Class<?> c = new ThrowawayClassLoader().define(renamed);

        assertThat(c.getName()).isEqualTo("test.Renamed");
        // Self-references in descriptors now name the new class: create returns it, pair an array of it.
        Method create = c.getMethod("create", long.class);
        assertThat(create.getReturnType()).isSameAs(c);
        assertThat(c.getMethod("pair", long.class).getReturnType().getComponentType()).isSameAs(c);
        Object instance = create.invoke(null, 42L);
        assertThat(instance.getClass()).isSameAs(c);
        assertThat(c.getMethod("id").invoke(instance)).isEqualTo(42L);
        // Constants of every kind, lambdas and method references survive.
        assertThat(c.getField("BIG").get(null)).isEqualTo(RenameFixture.BIG);
        assertThat(c.getMethod("describe", long.class).invoke(null, 0x10L)).isEqualTo(RenameFixture.describe(0x10L));
    }

    @Test
    void renamingToTheSameNameChangesNothing() throws IOException {
        byte[] original = classBytes(RenameFixture.class);

        assertThat(ClassFileRenamer.rename(original, FIXTURE, FIXTURE)).isEqualTo(original);
    }

    @Test
    void renamingAnotherClassNameLeavesTheFileAlone() throws IOException {
        byte[] original = classBytes(RenameFixture.class);

        assertThat(ClassFileRenamer.rename(original, "no/such/Name", "other/Name")).isEqualTo(original);
    }

    @Test
    void notAClassFileIsRefused() {
        assertThatThrownBy(() -> ClassFileRenamer.rename(new byte[] {1, 2, 3, 4, 0, 0, 0, 0, 0, 1}, "a", "b"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a class file");
    }

    @Test
    void unknownConstantPoolTagIsRefused() throws IOException {
        byte[] original = classBytes(RenameFixture.class);
        byte[] broken = Arrays.copyOf(original, original.length);
        broken[10] = 99; // the tag of constant pool entry 1

        assertThatThrownBy(() -> ClassFileRenamer.rename(broken, FIXTURE, "test/Renamed"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown constant pool tag 99 at entry 1");
    }
}
