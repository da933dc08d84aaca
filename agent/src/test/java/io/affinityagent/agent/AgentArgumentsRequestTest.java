package io.affinityagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class AgentArgumentsRequestTest {

    @Test
    void theCommandLinesAttachAndDetachArguments() {
        AgentArguments attach = AgentArguments.parse("config=/etc/a.properties,log=debug,request=5f0c");
        AgentArguments detach = AgentArguments.parse("detach,request=77");

        assertThat(attach.errors()).isEmpty();
        assertThat(attach.config()).isEqualTo(Paths.get("/etc/a.properties"));
        assertThat(attach.request()).isEqualTo("5f0c");
        assertThat(attach.isDetach()).isFalse();
        assertThat(detach.errors()).isEmpty();
        assertThat(detach.isDetach()).isTrue();
        assertThat(detach.request()).isEqualTo("77");
        assertThat(detach.config()).isNull();
    }

    @Test
    void startUpArgumentsNeedAConfigAndDetachTakesNone() {
        assertThat(AgentArguments.parse("").errors()).singleElement().asString().startsWith("no config file given");
        assertThat(AgentArguments.parse("detach,config=/a").errors()).containsExactly("detach takes no config");
        assertThat(AgentArguments.parse("config=/a").request()).isNull();
    }
}
