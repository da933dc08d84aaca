package io.affinityagent.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ControlRequestTest {

    @Test
    void theArgumentsSurviveTheFileWhateverTheyHold() throws IOException {
        String arguments = "config=/srv/my app/ünïcode=\\#!.properties,log=debug,request=5f0c";
        ControlRequest request = new ControlRequest(arguments, 1_732_372_800_000L);

        ControlRequest read = ControlRequest.parse(request.toText());

        assertThat(read.arguments()).isEqualTo(arguments);
        assertThat(read.createdMillis()).isEqualTo(1_732_372_800_000L);
    }

    @Test
    void aRequestIsFreshForTwoMinutes() {
        ControlRequest request = new ControlRequest("detach", 1_000_000L);

        assertThat(request.isFresh(1_000_000L)).isTrue();
        assertThat(request.isFresh(1_000_000L + ControlRequest.MAX_AGE_MILLIS)).isTrue();
        assertThat(request.isFresh(1_000_000L + ControlRequest.MAX_AGE_MILLIS + 1)).isFalse();
        assertThat(request.isFresh(1_000_000L - 60_000)).as("written in the future").isFalse();
    }

    @Test
    void aHalfWrittenFileIsNotARequest() {
        assertThatThrownBy(() -> ControlRequest.parse("arguments=detach\n")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ControlRequest.parse("")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ControlRequest.parse("arguments=detach\ncreated=12x\n")).isInstanceOf(IOException.class);
    }

    @Test
    void theFileIsNamedForTheJvmsPidInItsTmp() {
        assertThat(RequestInbox.fileFor(4242)).isEqualTo("/tmp/.affinity-agent-4242.request");
    }
}
