package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code root.readonly}: the rootfs is read-only, the mounts on it keep their own flags. */
class ReadonlyRootfsTest extends ContainerTest {

    @Test
    void rootReadonly_true_rootCannotBeWritten() {
        CliResult r = probeResult(newBundle().rootReadonly(true), "cat /proc/self/mountinfo; touch /x");
        String root = mountLine(r.stdout(), "/");
        assertTrue(root.split(" ")[5].matches("ro(,.*)?"), root);
        assertTrue(r.exitCode() != 0 && r.stderr().contains("Read-only file system"), r.toString());
    }

    @Test
    void rootReadonly_true_tmpfsMountsStayWritable() {
        assertEquals("ok\n", probe(newBundle().rootReadonly(true), "echo ok > /dev/shm/f && cat /dev/shm/f"));
    }

    @Test
    void rootReadonly_false_rootIsWritable() {
        Bundle b = newBundle().rootReadonly(false);
        probe(b, "echo data > /written");
        assertTrue(Files.exists(b.rootfs().resolve("written")));
    }
}
