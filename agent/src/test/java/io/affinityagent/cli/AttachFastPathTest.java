package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class AttachFastPathTest {

    @Test
    void takesThePlainFormsOfAttach() {
        AttachFastPath a = AttachFastPath.parse(new String[] {"attach", "123", "--config", "/etc/a.properties"});
        assertThat(a.pid).isEqualTo(123);
        assertThat(a.config).isEqualTo(Paths.get("/etc/a.properties"));
        assertThat(a.log).isNull();

        a = AttachFastPath.parse(new String[] {"attach", "-c", "a.properties", "77", "--log", "debug"});
        assertThat(a.pid).isEqualTo(77);
        assertThat(a.config).isEqualTo(Paths.get("a.properties"));
        assertThat(a.log).isEqualTo("debug");

        a = AttachFastPath.parse(new String[] {"attach", "--config=b.properties", "--log=quiet", "9"});
        assertThat(a.config).isEqualTo(Paths.get("b.properties"));
        assertThat(a.log).isEqualTo("quiet");
    }

    @Test
    void leavesEverythingElseToPicocli() {
        // Other commands, help, missing or repeated parts, unknown options: picocli says what is wrong.
        assertThat(AttachFastPath.parse(new String[] {"status", "123"})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "--help"})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "123", "--config", "a", "--help"})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "123", "--config"})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "123", "--conf", "a"})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "abc", "--config", "a"})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "1", "2", "--config", "a"})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "1", "--config", "a", "--config", "b"})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "1", "--config", "-x"})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "1", "--config="})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "1", "--log", "debug", "x"})).isNull();
        assertThat(AttachFastPath.parse(new String[] {"attach", "99999999999999999999", "--config", "a"})).isNull();
    }
}
