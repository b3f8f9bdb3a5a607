package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.RuncDeviation;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@code hostname} and {@code domainname} in a new UTS namespace. */
class HostnameTest extends ContainerTest {

    @Test
    void hostname_isSetInContainer() {
        assertEquals("berth-probe\n", probe(newBundle().hostname("berth-probe"), "hostname"));
    }

    @Test
    void domainname_isSetInContainer() {
        RuncDeviation.DOMAINNAME_IGNORED.assumeNotApplicable();
        assertEquals("berth.example\n",
                probe(newBundle().domainname("berth.example"), "cat /proc/sys/kernel/domainname"));
    }

    @Test
    void hostname_doesNotChangeTheHost() throws Exception {
        String before = InetAddress.getLocalHost().getHostName();
        probe(newBundle().hostname("not-the-host"), "hostname");
        String hostNow = new String(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("/proc/sys/kernel/hostname"))).strip();
        assertNotEquals("not-the-host", hostNow);
        assertEquals(before, InetAddress.getLocalHost().getHostName());
    }
}
