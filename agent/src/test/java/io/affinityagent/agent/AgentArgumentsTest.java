package io.affinityagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.affinityagent.config.OnError;
import io.affinityagent.log.LogLevel;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class AgentArgumentsTest {

    @Test
    void configAlone() {
        AgentArguments a = AgentArguments.parse("config=/etc/affinity.properties");

        assertThat(a.errors()).isEmpty();
        assertThat(a.config()).isEqualTo(Paths.get("/etc/affinity.properties"));
        assertThat(a.onError()).isNull();
        assertThat(a.logLevel()).isNull();
    }

    @Test
    void everyOptionWithSpacesAndEmptyItems() {
        AgentArguments a = AgentArguments.parse(" config = /etc/a.properties , on-error=fail,,log=debug, ");

        assertThat(a.errors()).isEmpty();
        assertThat(a.config()).isEqualTo(Paths.get("/etc/a.properties"));
        assertThat(a.onError()).isEqualTo(OnError.FAIL);
        assertThat(a.logLevel()).isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void everyValueOfOnErrorAndLog() {
        assertThat(AgentArguments.parse("config=a,on-error=warn").onError()).isEqualTo(OnError.WARN);
        assertThat(AgentArguments.parse("config=a,log=quiet").logLevel()).isEqualTo(LogLevel.QUIET);
        assertThat(AgentArguments.parse("config=a,log=info").logLevel()).isEqualTo(LogLevel.INFO);
    }

    @Test
    void badOnError() {
        AgentArguments a = AgentArguments.parse("config=/a,on-error=maybe");

        assertThat(a.errors()).containsExactly("on-error='maybe' is not valid; expected warn | fail");
        assertThat(a.onError()).isNull();
    }

    @Test
    void badLog() {
        AgentArguments a = AgentArguments.parse("config=/a,log=verbose");

        assertThat(a.errors()).containsExactly("log='verbose' is not valid; expected quiet | info | debug");
    }

    @Test
    void startInTheBackgroundUnlessAskedBeforeMain() {
        assertThat(AgentArguments.parse("config=/a").startsBeforeMain()).isFalse();
        assertThat(AgentArguments.parse("config=/a,start=background").startsBeforeMain()).isFalse();
        assertThat(AgentArguments.parse("config=/a,start=before-main").startsBeforeMain()).isTrue();
        assertThat(AgentArguments.parse("config=/a,start=early").errors())
                .containsExactly("start='early' is not valid; expected background | before-main");
    }

    @Test
    void aBarePathIsToldToSayConfig() {
        AgentArguments a = AgentArguments.parse("/etc/affinity.properties");

        assertThat(a.errors()).singleElement().asString().contains("unknown agent option '/etc/affinity.properties';"
                + " for a config file write config=/etc/affinity.properties");
    }

    @Test
    void unknownOptionNamesItAndTheExpectedForm() {
        AgentArguments a = AgentArguments.parse("config=/a,cpus=0-3");

        assertThat(a.errors()).singleElement().asString()
                .contains("unknown agent option 'cpus'")
                .contains("config=FILE[,on-error=warn|fail][,log=quiet|info|debug][,start=background|before-main]");
        assertThat(a.config()).isEqualTo(Paths.get("/a"));
    }

    @Test
    void missingConfig() {
        AgentArguments a = AgentArguments.parse("on-error=fail");

        assertThat(a.config()).isNull();
        assertThat(a.onError()).as("still known, so that on-error=fail applies").isEqualTo(OnError.FAIL);
        assertThat(a.errors()).singleElement().asString()
                .contains("no config file given")
                .contains("-javaagent:affinity-agent.jar=config=");
    }

    @Test
    void configWithoutAFile() {
        assertThat(AgentArguments.parse("config=").errors()).singleElement().asString().contains("config= needs a file");
        assertThat(AgentArguments.parse("config").errors()).singleElement().asString().contains("config= needs a file");
    }

    @Test
    void emptyArguments() {
        for (String text : new String[] {null, "", "   ", ",,"}) {
            AgentArguments a = AgentArguments.parse(text);
            assertThat(a.config()).as("'%s'", text).isNull();
            assertThat(a.errors()).as("'%s'", text).singleElement().asString().contains("no config file given");
        }
    }

    @Test
    void everyErrorIsListed() {
        AgentArguments a = AgentArguments.parse("config=/a,on-error=x,log=y,z=1");

        assertThat(a.errors()).hasSize(3);
        assertThat(a.errors()).isUnmodifiable();
    }
}
