package io.affinityagent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsAreAlignedTwoSpacesApartAndTheLastIsNotPadded() {
        String text = new TextTable("TID", "RULE", "NAME")
                .add("7", "orders", "order-1")
                .add("12345", "-", "a much longer thread name than any header")
                .render("");

        assertThat(text).isEqualTo(""
                + "TID    RULE    NAME\n"
                + "7      orders  order-1\n"
                + "12345  -       a much longer thread name than any header\n");
    }

    @Test
    void anIndentStartsEveryLineAndTrailingBlanksAreDropped() {
        String text = new TextTable("A", "B").add("x", "").render("  ");

        assertThat(text).isEqualTo("  A  B\n  x\n");
    }

    @Test
    void controlCharactersInACellAreEscapedSoARowStaysOneLine() {
        String text = new TextTable("NAME", "X").add("we\"ird\nline2\ttab\u0001", "y").render("");

        assertThat(text.split("\n")).hasSize(2);
        assertThat(text).contains("we\"ird\\nline2\\ttab\\u0001  y");
    }

    @Test
    void aRowMustHaveOneCellPerColumn() {
        assertThatThrownBy(() -> new TextTable("A", "B").add("only one")).isInstanceOf(IllegalArgumentException.class);
    }
}
