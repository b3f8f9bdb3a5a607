package dev.berth.manager.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Log log = new Log("Owner", new PrintStream(buffer, true, StandardCharsets.UTF_8));

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
    void debugIsWrittenOnlyWhenTheThresholdAllowsIt() {
        log.debug("garbage collected", "blobs", 3);

        if (log.enabled(Log.Level.DEBUG)) {
            assertEquals("level=debug msg=\"garbage collected\" blobs=3 logger=Owner", lineWithoutTime());
        } else {
            assertEquals("", output());
        }
    }

    @Test
    void errorIsAlwaysEnabled() {
        assertTrue(log.enabled(Log.Level.ERROR));
    }
}
