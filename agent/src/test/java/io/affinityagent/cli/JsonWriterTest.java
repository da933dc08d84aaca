package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The JSON is checked by an independent parser (Jackson), not by reading our own output back. */
class JsonWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void nestedObjectsAndArraysOfEveryValueKind() throws Exception {
        String json = new JsonWriter().beginObject()
                .name("pid").value(4242)
                .name("name").value("order-1")
                .name("rule").value((String) null)
                .name("ok").value(true)
                .name("loads").beginArray().value(1).value(0).endArray()
                .name("empty").beginArray().endArray()
                .name("agent").beginObject().name("state").value("active").endObject()
                .name("none").nullValue()
                .endObject().toJson();

        JsonNode n = JSON.readTree(json);
        assertThat(n.get("pid").asLong()).isEqualTo(4242);
        assertThat(n.get("name").asText()).isEqualTo("order-1");
        assertThat(n.get("rule").isNull()).isTrue();
        assertThat(n.get("ok").asBoolean()).isTrue();
        assertThat(n.get("loads")).hasSize(2);
        assertThat(n.get("loads").get(0).asInt()).isEqualTo(1);
        assertThat(n.get("empty")).isEmpty();
        assertThat(n.get("agent").get("state").asText()).isEqualTo("active");
        assertThat(n.get("none").isNull()).isTrue();
    }

    @Test
    void threadNamesWithAnyCharacterSurviveTheRoundTrip() throws Exception {
        String[] names = {
            "quote \" and backslash \\ and slash /",
            "line\nbreak\r\ttab \b\f and \u0000\u0001\u001f\u007f",
            "unicode: Überweisung-线程-😀",
            "lone surrogates \ud800 and \udc00 end",
        };
        for (String name : names) {
            String json = new JsonWriter().beginObject().name(name).value(name).endObject().toJson();

            assertThat(json).doesNotContain("\n", "\r", "\t");
            JsonNode n = JSON.readTree(json);
            if (name.startsWith("lone")) {
                // A lone surrogate is no character: it is escaped, and the document stays valid.
                assertThat(json).contains("\\ud800", "\\udc00");
                assertThat(n.fieldNames().next()).startsWith("lone surrogates ").endsWith(" end");
            } else {
                assertThat(n.get(name).asText()).isEqualTo(name);
            }
        }
    }

    @Test
    void misuseThrowsInsteadOfWritingBrokenJson() {
        assertThatThrownBy(() -> new JsonWriter().beginObject().value("no name")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().name("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().toJson()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().endArray()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().value(1).value(2)).isInstanceOf(IllegalStateException.class);
    }
}
