package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /dev}: the default devices, {@code linux.devices}, the device cgroup and the standard symlinks. */
class DevicesTest extends ContainerTest {

    @Test
    void devices_defaultNodes_presentWithNumbers() {
        // stat %t:%T prints major:minor in hex.
        String out = probe(newBundle(), "for d in null zero full random urandom tty; do "
                + "stat -c '%n %F %t:%T' /dev/$d; done");
        assertEquals(List.of("/dev/null character special file 1:3", "/dev/zero character special file 1:5",
                "/dev/full character special file 1:7", "/dev/random character special file 1:8",
                "/dev/urandom character special file 1:9", "/dev/tty character special file 5:0"),
                out.lines().toList());
    }

    @Test
    void devices_defaultNodes_usable() {
        assertEquals("4\n", probe(newBundle(), "echo x > /dev/null && head -c 4 /dev/urandom | wc -c"));
    }

    @Test
    void devices_standardSymlinks_present() {
        String out = probe(newBundle(), "for l in fd stdin stdout stderr ptmx; do echo $l $(readlink /dev/$l); done");
        assertEquals(List.of("fd /proc/self/fd", "stdin /proc/self/fd/0", "stdout /proc/self/fd/1",
                "stderr /proc/self/fd/2", "ptmx pts/ptmx"), out.lines().toList());
    }

    @Test
    void devices_extraDevice_createdAndAllowed() {
        String out = probe(newBundle().device("/dev/berth-zero", "c", 1, 5, 0640),
                "stat -c '%F %t:%T %a %u:%g' /dev/berth-zero; head -c 3 /dev/berth-zero | wc -c");
        assertEquals("character special file 1:5 640 0:0\n3\n", out);
    }

    // 241:7 is in the char-major range for local use (Documentation/admin-guide/devices.txt): no driver has it,
    // so an open the device cgroup allows fails with ENXIO, and one it denies fails earlier with EPERM.

    @Test
    void devices_nodeAllowedByCgroup_reachesTheDriver() {
        CliResult r = probeResult(newBundle().device("/dev/berth-test", "c", 241, 7, 0666), "head -c 1 /dev/berth-test");
        assertTrue(r.exitCode() != 0 && r.stderr().contains("No such device or address"), r.toString());
    }

    @Test
    void devices_nodeNotAllowedByCgroup_cannotBeOpened() {
        var b = newBundle().device("/dev/berth-test", "c", 241, 7, 0666);
        // Keep only the default deny-all rule: the node exists but the device cgroup refuses it.
        b.resources().put("devices", dev.berth.testsupport.Json.arr(
                dev.berth.testsupport.Json.obj("allow", false, "access", "rwm")));
        CliResult r = probeResult(b, "head -c 1 /dev/berth-test");
        assertTrue(r.exitCode() != 0 && r.stderr().contains("Operation not permitted"), r.toString());
    }

    @Test
    void devices_hostDevicesAreNotVisible() {
        // /dev is a fresh tmpfs: no host disk appears in it.
        String out = probe(newBundle(), "ls /dev");
        assertTrue(out.lines().noneMatch(l -> l.startsWith("vd") || l.startsWith("sd") || l.equals("kmsg")), out);
    }
}
