package dev.louie.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAlignOnTheWidestCellAndNullsPrintAsADash() {
        StringWriter out = new StringWriter();
        new Table("ID", "TASK", "N").row("a", "greet", 1).row("long-id", null, 12).print(new PrintWriter(out));
        assertThat(out.toString().lines()).containsExactly(
                "ID       TASK   N",
                "a        greet  1",
                "long-id  -      12");
    }

    @Test
    void aRowMustHaveOneCellPerColumn() {
        assertThatThrownBy(() -> new Table("A", "B").row("x")).hasMessage("a row of 2 cells, not 1");
    }

    @Test
    void agesReadAsPeopleSayThem() {
        assertThat(LouieCli.age(null)).isEqualTo("-");
        assertThat(LouieCli.age(java.time.Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(LouieCli.age(java.time.Duration.ofSeconds(192))).isEqualTo("3m12s");
        assertThat(LouieCli.age(java.time.Duration.ofMinutes(303))).isEqualTo("5h03m");
    }
}
