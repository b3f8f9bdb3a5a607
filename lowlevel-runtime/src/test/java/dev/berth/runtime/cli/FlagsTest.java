package dev.berth.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlagsTest {
    private final Flags flags = new Flags().value("bundle", "b").bool("detach", "d").multi("env", "e");

    @Test
    void parse_urfaveForms() {
        Flags.Parsed p = flags.parse(List.of("--bundle", "/b", "-d", "-e=A=1", "--env", "B=2", "id"), false);
        assertEquals("/b", p.get("bundle", null));
        assertTrue(p.has("detach"));
        assertEquals(List.of("A=1", "B=2"), p.all("env"));
        assertEquals(List.of("id"), p.args());
        assertEquals("/c", flags.parse(List.of("-bundle=/c"), false).get("bundle", null));
        assertFalse(flags.parse(List.of("--detach=false"), false).has("detach"));
    }

    @Test
    void parse_stopsAtTheFirstPositional_soCommandFlagsReachTheCommand() {
        Flags.Parsed p = flags.parse(List.of("id", "sh", "-d", "--bundle"), false);
        assertEquals(List.of("id", "sh", "-d", "--bundle"), p.args());
        assertFalse(p.has("detach"));
    }

    @Test
    void parse_unknownOrMissingValue_isAUsageError() {
        assertEquals("flag provided but not defined: -x",
                assertThrows(Flags.UsageException.class, () -> flags.parse(List.of("-x"), false)).getMessage());
        assertThrows(Flags.UsageException.class, () -> flags.parse(List.of("--bundle"), false));
    }

    @Test
    void signals_parseNamesNumbersAndRealtime() {
        assertEquals(9, Signals.parse("KILL"));
        assertEquals(9, Signals.parse("SIGKILL"));
        assertEquals(15, Signals.parse("15"));
        assertEquals(15, Signals.parse("term"));
        assertEquals(37, Signals.parse("SIGRTMIN+3"));
        assertThrows(Flags.UsageException.class, () -> Signals.parse("SIGNOPE"));
        assertThrows(Flags.UsageException.class, () -> Signals.parse("0"));
    }
}
