package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code mounts}: each type the default spec and containerd use, checked in the container's mountinfo. */
class MountsTest extends ContainerTest {

    @Test
    void mounts_defaultSpec_allPresentWithTheirTypes() {
        String mountinfo = probe(newBundle(), "cat /proc/self/mountinfo");
        for (String[] m : List.of(new String[] {"/proc", "proc"}, new String[] {"/dev", "tmpfs"},
                new String[] {"/dev/pts", "devpts"}, new String[] {"/dev/shm", "tmpfs"},
                new String[] {"/dev/mqueue", "mqueue"}, new String[] {"/sys", "sysfs"})) {
            String line = mountLine(mountinfo, m[0]);
            assertTrue(line.contains(" - " + m[1] + " "), m[0] + " is " + m[1] + ": " + line);
        }
        // sysfs is mounted read-only, with nosuid,nodev,noexec.
        String sys = mountLine(mountinfo, "/sys");
        assertTrue(sys.matches(".* /sys ro,nosuid,nodev,noexec.*"), sys);
    }

    @Test
    void mounts_tmpfsWithOptions_applied() {
        String out = probe(newBundle().mount("/scratch", "tmpfs", "tmpfs", "nosuid", "nodev", "noexec", "size=1m",
                "mode=1770"), "grep ' /scratch ' /proc/self/mountinfo; stat -c %a /scratch; df -k /scratch | tail -1");
        String[] lines = out.split("\n");
        assertTrue(lines[0].contains(" /scratch rw,nosuid,nodev,noexec"), lines[0]);
        assertTrue(lines[0].contains(" - tmpfs ") && lines[0].contains("size=1024k"), lines[0]);
        assertEquals("1770", lines[1]);
        assertTrue(lines[2].matches("\\S+\\s+1024\\s+.*"), "1 MiB tmpfs: " + lines[2]);
    }

    @Test
    void mounts_bindReadonly_readableButNotWritable() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("shared"));
        Files.writeString(host.resolve("greeting"), "hello from the host\n");
        Bundle b = newBundle().bindMount(host, "/data", "ro");
        CliResult r = probeResult(b, "cat /data/greeting; grep ' /data ' /proc/self/mountinfo; touch /data/new");
        assertTrue(r.stdout().startsWith("hello from the host\n"), r.toString());
        assertTrue(r.stdout().contains(" /data ro,"), r.toString());
        assertTrue(r.exitCode() != 0 && r.stderr().contains("Read-only file system"), r.toString());
        assertTrue(Files.notExists(host.resolve("new")));
    }

    @Test
    void mounts_bindReadWrite_writesReachTheHost() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("shared"));
        probe(newBundle().bindMount(host, "/data"), "echo written > /data/out");
        assertEquals("written\n", Files.readString(host.resolve("out")));
    }

    @Test
    void mounts_bindOfAFile_createsTheMountpointFile() throws Exception {
        Path hostFile = Files.writeString(tmp.resolve("motd"), "a file bind mount\n");
        String out = probe(newBundle().rootReadonly(false).bindMount(hostFile, "/etc/motd", "ro"), "cat /etc/motd");
        assertEquals("a file bind mount\n", out);
    }

    @Test
    void mounts_destinationMissing_isCreatedInRootfs() {
        Bundle b = newBundle();
        probe(b.mount("/deep/new/dir", "tmpfs", "tmpfs", "size=64k"), "grep -q ' /deep/new/dir ' /proc/self/mountinfo");
        assertTrue(Files.isDirectory(b.rootfs().resolve("deep/new/dir")), "mount point created in the rootfs");
    }

    @Test
    void mounts_devpts_newInstanceWithPtmx() {
        String out = probe(newBundle(), "grep ' /dev/pts ' /proc/self/mountinfo; ls -l /dev/ptmx");
        assertTrue(out.contains(" - devpts devpts ") && out.contains("ptmxmode=666") && out.contains("gid=5"), out);
        assertTrue(out.contains("/dev/ptmx -> pts/ptmx"), "ptmx is the instance's: " + out);
    }

    @Test
    void mounts_mqueue_isPrivateToIpcNamespace() {
        // A queue created in one container is not visible in another: each has its own IPC namespace and mqueue.
        Bundle b = newBundle().allCapabilitySets();
        String out = probe(b, "grep ' /dev/mqueue ' /proc/self/mountinfo; ls -A /dev/mqueue | wc -l");
        assertTrue(out.contains(" - mqueue mqueue "), out);
        assertEquals("0", out.strip().split("\n")[1]);
    }

    @Test
    void mounts_doNotPropagateToHost() {
        Bundle b = newBundle().mount("/scratch", "tmpfs", "tmpfs", "size=64k");
        probe(b, "true");
        assertEquals(List.of(), dev.berth.it.support.HostMounts.under(b.dir()));
    }
}
