package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code linux.sysctl}: namespaced sysctls set in the container's namespaces, never on the host. */
class SysctlTest extends ContainerTest {

    @Test
    void sysctl_networkNamespaced_setInContainerOnly() throws Exception {
        String host = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
        String out = probe(newBundle().sysctl("net.ipv4.ip_local_port_range", "40000 41000"),
                "cat /proc/sys/net/ipv4/ip_local_port_range");
        assertTrue(out.strip().matches("40000\\s+41000"), out);
        assertEquals(host, Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip(),
                "the host's value is untouched");
    }

    @Test
    void sysctl_ipcNamespaced_setInContainerOnly() throws Exception {
        String host = Files.readString(Path.of("/proc/sys/kernel/msgmax")).strip();
        assertNotEquals("12345", host);
        assertEquals("12345\n", probe(newBundle().sysctl("kernel.msgmax", "12345"), "cat /proc/sys/kernel/msgmax"));
        assertEquals(host, Files.readString(Path.of("/proc/sys/kernel/msgmax")).strip());
    }

    @Test
    void sysctl_notNamespaced_isRefused() {
        // vm.* is global: a runtime must refuse it rather than change the host.
        CliResult r = runtime.run(newId(), newBundle().sysctl("vm.swappiness", "7").args("true"));
        assertTrue(r.exitCode() != 0, r.toString());
        assertTrue(r.output().contains("sysctl") && r.output().contains("vm.swappiness"), r.toString());
    }

    @Test
    void sysctl_netWithoutOwnNetworkNamespace_isRefused() {
        CliResult r = runtime.run(newId(), newBundle().withoutNamespace("network")
                .sysctl("net.ipv4.ip_local_port_range", "40000 41000").args("true"));
        assertTrue(r.exitCode() != 0, r.toString());
        assertTrue(r.output().contains("net.ipv4.ip_local_port_range"), r.toString());
    }
}
