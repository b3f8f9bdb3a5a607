package dev.berth.manager.engine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EtcFilesTest {
    @Test
    void resolvConf_dropsLoopbackNameservers() {
        String out = EtcFiles.resolvConf(List.of("# generated", "nameserver 127.0.0.53", "nameserver 10.1.1.1",
                "nameserver ::1", "nameserver 0:0:0:0:0:0:0:1", "nameserver fd00::1", "search a.test b.test",
                "options ndots:2 edns0"), List.of(), List.of(), List.of());
        assertEquals("nameserver 10.1.1.1\nnameserver fd00::1\nsearch a.test b.test\noptions ndots:2 edns0\n", out);
    }

    @Test
    void resolvConf_onlyLoopback_leavesNoNameserverAndAddsNone() {
        String out = EtcFiles.resolvConf(List.of("nameserver 127.0.0.1", "search x.test"), List.of(), List.of(),
                List.of());
        assertEquals("search x.test\n", out);
        assertFalse(out.contains("8.8.8.8"));
    }

    @Test
    void resolvConf_dnsOptionsReplaceTheHosts() {
        String out = EtcFiles.resolvConf(List.of("nameserver 10.1.1.1", "search x.test", "options ndots:1"),
                List.of("10.9.9.9"), List.of("y.test"), List.of("ndots:5"));
        assertEquals("nameserver 10.9.9.9\nsearch y.test\noptions ndots:5\n", out);
    }

    @Test
    void hosts_extraHostsAndName() {
        String hosts = EtcFiles.hosts("box", "", List.of("db:10.0.0.5", "v6:[fd00::5]", "both:fd00::6"));
        assertTrue(hosts.startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"));
        assertTrue(hosts.contains("10.0.0.5\tdb\n"));
        assertTrue(hosts.contains("fd00::5\tv6\n"));
        assertTrue(hosts.contains("fd00::6\tboth\n"));
        assertTrue(hosts.endsWith("127.0.0.1\tbox\n"));
    }

    @Test
    void hosts_badExtraHost_namesIt() {
        for (String bad : List.of("nocolon", "db:", ":10.0.0.1", "db:not-an-ip", "gw:host-gateway")) {
            BerthException e = assertThrows(BerthException.class, () -> EtcFiles.hosts("box", "", List.of(bad)));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
