package dev.berth.manager.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreatedByTest {
    @Test
    void healthcheck_isGoQuotingOfDockersHealthConfig() {
        assertEquals("HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/ || exit 1\"] \"1m30s\" \"5s\" \"0s\" "
                + "'\\x03'}", CreatedBy.healthcheck(List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1"),
                Duration.ofSeconds(90), Duration.ofSeconds(5), Duration.ZERO, 3));
        assertEquals("HEALTHCHECK &{[\"NONE\"] \"0s\" \"0s\" \"0s\" '\\x00'}",
                CreatedBy.healthcheck(List.of("NONE"), Duration.ZERO, Duration.ZERO, Duration.ZERO, 0));
        assertEquals("HEALTHCHECK &{[\"CMD\" \"wget\" \"-q\" \"say \\\"hi\\\"\"] \"1h0m0s\" \"1.5s\" \"250ms\" '\\n'}",
                CreatedBy.healthcheck(List.of("CMD", "wget", "-q", "say \"hi\""), Duration.ofHours(1),
                        Duration.ofMillis(1500), Duration.ofMillis(250), 10));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "0;0s", "1;1ns", "1500;1.5µs", "2000000;2ms", "2500000;2.5ms", "1000000000;1s", "30000000000;30s",
        "60000000000;1m0s", "90000000000;1m30s", "90500000000;1m30.5s", "3600000000000;1h0m0s",
        "3723000000000;1h2m3s", "90000000000000;25h0m0s"})
    void duration_isGosDurationString(long nanos, String expected) {
        assertEquals(expected, GoFormat.duration(Duration.ofNanos(nanos)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "0;'\\x00'", "3;'\\x03'", "7;'\\a'", "8;'\\b'", "9;'\\t'", "10;'\\n'", "11;'\\v'", "12;'\\f'", "13;'\\r'",
        "31;'\\x1f'", "32;' '", "39;'\\''", "65;'A'", "92;'\\\\'", "127;'\\x7f'", "160;'\\u00a0'", "233;'é'"})
    void quoteRune_isGosPercentQOfAnInt(int value, String expected) {
        assertEquals(expected, GoFormat.quoteRune(value));
    }

    @Test
    void quote_escapesAsGoDoes() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\x01\\x7f é\"", GoFormat.quote("a\"b\\c\n\t\u0001\u007f é"));
    }
}
