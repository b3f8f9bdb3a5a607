package dev.berth.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    private final Log log = Log.to(Owner.class, new LogSink(Level.INFO, out));

    /** Names the logger in the records. */
    private static final class Owner {
    }

    private String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** The line without its leading {@code time=…}, which changes on every run. */
    private String lineWithoutTime() {
        String line = output();
        assertTrue(line.startsWith("time="), line);
        assertTrue(line.endsWith(System.lineSeparator()), line);
        assertEquals(1, line.lines().count(), line);
        return line.substring(line.indexOf(' ') + 1).strip();
    }

    @Test
    void plainValuesAreLeftAlone() {
        assertEquals("web", Log.quote("web"));
        assertEquals("sha256:ab12", Log.quote("sha256:ab12"));
        assertEquals("unix:///run/x.sock", Log.quote("unix:///run/x.sock"));
        assertEquals("default/web", Log.quote("default/web"));
    }

    @Test
    void valuesThatWouldSplitTheLineAreQuoted() {
        assertEquals("\"\"", Log.quote(""));
        assertEquals("\"task started\"", Log.quote("task started"));
        assertEquals("\"a=b\"", Log.quote("a=b"));
        assertEquals("\"say \\\"hi\\\"\"", Log.quote("say \"hi\""));
        assertEquals("\"back\\\\slash \"", Log.quote("back\\slash "));
    }

    @Test
    void controlCharactersAreEscapedSoOneRecordStaysOneLine() {
        assertEquals("\"one\\ntwo\"", Log.quote("one\ntwo"));
        assertEquals("\"one\\r\\ntwo\"", Log.quote("one\r\ntwo"));
        assertEquals("\"a\\tb\"", Log.quote("a\tb"));
    }

    @Test
    void infoLineHasLevelMessageFieldsInOrderAndLogger() {
        log.info("task created", "namespace", "default", "id", "web", "pid", 42, "runtime", "io.containerd.runc.v2");

        assertEquals("level=info msg=\"task created\" namespace=default id=web pid=42 "
                + "runtime=io.containerd.runc.v2 logger=Owner", lineWithoutTime());
    }

    @Test
    void timeIsAnIsoInstant() {
        log.info("x");

        String time = output().substring("time=".length(), output().indexOf(' '));
        java.time.Instant.parse(time);
    }

    @Test
    void fieldValuesAreQuotedAndNullIsWrittenOut() {
        log.info("shim says", "line", "level=info msg=\"hello\"", "bundle", Path.of("/tmp/a b"), "exec", null);

        assertEquals("level=info msg=\"shim says\" line=\"level=info msg=\\\"hello\\\"\" bundle=\"/tmp/a b\" "
                + "exec=null logger=Owner", lineWithoutTime());
    }

    @Test
    void warnWithThrowablePutsItsMessageInErrorAfterTheFields() {
        log.warn("delete task", new IllegalStateException("shim gone: connection refused"), "namespace", "default",
                "id", "web");

        assertEquals("level=warn msg=\"delete task\" namespace=default id=web "
                + "error=\"shim gone: connection refused\" logger=Owner", lineWithoutTime());
    }

    @Test
    void throwableWithoutMessageIsNamedByItsClass() {
        log.error("clean-up", new NullPointerException(), "id", "web");

        assertEquals("level=error msg=clean-up id=web error=java.lang.NullPointerException logger=Owner",
                lineWithoutTime());
    }

    @Test
    void debugIsDroppedBelowAnInfoThreshold() {
        log.debug("garbage collected", "blobs", 3);

        assertEquals("", output());
        assertFalse(log.enabled(Level.DEBUG));
    }

    @Test
    void debugIsWrittenAtADebugThreshold() {
        Log debug = Log.to(Owner.class, new LogSink(Level.DEBUG, out));

        debug.debug("garbage collected", "blobs", 3);

        assertEquals("level=debug msg=\"garbage collected\" blobs=3 logger=Owner", lineWithoutTime());
    }

    @Test
    void warnThresholdDropsInfoAndKeepsWarnAndError() {
        Log warn = Log.to(Owner.class, new LogSink(Level.WARN, out));

        warn.info("task started");
        assertEquals("", output());
        warn.warn("shim slow");
        assertTrue(output().contains("level=warn msg=\"shim slow\""), output());
        assertTrue(warn.enabled(Level.ERROR));
    }

    @Test
    void processLoggerFollowsTheSinkMainConfiguresAfterItWasCreated() {
        Log created = Log.of(Owner.class);
        try {
            Log.configure(new LogSink(Level.DEBUG, out));

            created.debug("reaped orphan", "pid", 7);

            assertEquals("level=debug msg=\"reaped orphan\" pid=7 logger=Owner", lineWithoutTime());
        } finally {
            Log.configure(LogSink.stderr(Level.INFO));
        }
    }

    @Test
    void levelsParseFromFlagAndConfigNames() {
        assertEquals(Level.DEBUG, Level.parse("debug"));
        assertEquals(Level.INFO, Level.parse("INFO"));
        assertEquals(Level.WARN, Level.parse("warn"));
        assertEquals(Level.WARN, Level.parse("warning"));
        assertEquals(Level.ERROR, Level.parse("error"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Level.parse("loud"));
        assertEquals("parse log level \"loud\": want debug, info, warn or error", e.getMessage());
    }
}
