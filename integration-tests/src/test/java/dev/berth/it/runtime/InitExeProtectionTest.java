package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * CVE-2019-5736 class: a process in the container must not be able to open the runtime's own executable (seen as
 * {@code /proc/<pid>/exe} of the runtime's process in the container) for writing, or it could overwrite the host's
 * runtime binary.
 *
 * <p>A startContainer hook runs inside the container, as a child of the runtime's init, before the user process:
 * the moment the runtime's executable is exposed. The hook only tries to open {@code /proc/$PPID/exe} read-write
 * (no truncation, no write), so even a vulnerable runtime is not damaged by the test.
 */
class InitExeProtectionTest extends ContainerTest {

    @Test
    void startContainerHook_cannotOpenRuntimeExeForWriting() throws Exception {
        Path logDir = Files.createDirectories(tmp.resolve("hooklog"));
        Bundle b = newBundle().bindMount(logDir, "/hooklog").args("true");
        b.hook("startContainer", "/bin/sh", "sh", "-c",
                "{ echo ppid=$PPID; echo exe=$(readlink /proc/$PPID/exe); "
                        + "if ( exec 3<>/proc/$PPID/exe ) 2>/hooklog/err; then echo open-rw=succeeded; "
                        + "else echo open-rw=refused; fi; } > /hooklog/result");
        String before = sha256(RUNTIME_BINARY);
        runtime.run(newId(), b).assertSuccess();
        String result = Files.readString(logDir.resolve("result"));
        // The runtime's exe is visible to the hook (readlink works): the test reaches the exposed moment.
        assertTrue(result.matches("(?s).*exe=\\S+.*"), "the hook saw its parent's exe: " + result);
        assertTrue(result.contains("open-rw=refused"), "the runtime's exe must not be writable: " + result
                + "error: " + Files.readString(logDir.resolve("err")));
        assertEquals(before, sha256(RUNTIME_BINARY), "the runtime binary is unchanged");
    }

    @Test
    void execProcess_cannotOpenRuntimeExeForWriting() throws Exception {
        // While runc exec joins the container, the joining runtime process is visible there; the user process the
        // exec starts replaces it, so /proc/self/exe is busybox. The exec'd process's parent is outside the PID
        // namespace (PPID 0): nothing of the runtime is reachable by pid.
        String id = newId();
        runtime.createAndStart(id, newBundle().args("sleep", "30"));
        String out = runtime.execIn(id, "sh", "-c", "echo ppid=$PPID; readlink /proc/self/exe").assertSuccess().stdout();
        assertEquals("ppid=0\n/bin/busybox\n", out);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
