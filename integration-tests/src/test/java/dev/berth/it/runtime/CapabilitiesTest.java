package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Capabilities;
import dev.berth.it.support.ContainerTest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code process.capabilities}: the five sets, read back from {@code /proc/self/status}. */
class CapabilitiesTest extends ContainerTest {

    private static final List<String> DEFAULT = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    @Test
    void capabilities_defaultSpec_setsBoundingEffectivePermitted() {
        String status = probe(newBundle(), "cat /proc/self/status");
        long expected = Capabilities.mask(DEFAULT);
        assertCaps(expected, status, "CapBnd");
        assertCaps(expected, status, "CapEff");
        assertCaps(expected, status, "CapPrm");
        assertCaps(0, status, "CapInh");
        // The default spec lists ambient caps but no inheritable ones; the kernel only raises an ambient cap that
        // is both permitted and inheritable (capabilities(7)), so none can be raised here.
        assertCaps(0, status, "CapAmb");
    }

    @Test
    void capabilities_distinctSets_rootGetsBoundingAfterExec() {
        String status = probe(newBundle()
                .capabilities("bounding", "CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW", "CAP_SYS_ADMIN")
                .capabilities("effective", "CAP_KILL", "CAP_NET_RAW")
                .capabilities("permitted", "CAP_KILL", "CAP_NET_RAW", "CAP_CHOWN")
                .capabilities("inheritable", "CAP_NET_RAW")
                .capabilities("ambient", "CAP_NET_RAW"), "cat /proc/self/status");
        long bounding = Capabilities.mask(Set.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW", "CAP_SYS_ADMIN"));
        assertCaps(bounding, status, "CapBnd");
        // uid 0 without SECBIT_NOROOT: execve would give root the whole bounding set as permitted and effective
        // (capabilities(7), "Capabilities and execution of programs by root"), but no_new_privs (on in the
        // default spec) keeps the new permitted set within the old one: the spec's permitted set, all effective.
        long permitted = Capabilities.mask(Set.of("CAP_KILL", "CAP_NET_RAW", "CAP_CHOWN"));
        assertCaps(permitted, status, "CapPrm");
        assertCaps(permitted, status, "CapEff");
        assertCaps(Capabilities.mask(Set.of("CAP_NET_RAW")), status, "CapInh");
        assertCaps(Capabilities.mask(Set.of("CAP_NET_RAW")), status, "CapAmb");
    }

    @Test
    void capabilities_nonRootUser_getsAmbientAsEffective() {
        String status = probe(newBundle().user(1000, 1000)
                .capabilities("bounding", "CAP_NET_BIND_SERVICE", "CAP_KILL", "CAP_CHOWN")
                .capabilities("effective", "CAP_NET_BIND_SERVICE", "CAP_KILL")
                .capabilities("permitted", "CAP_NET_BIND_SERVICE", "CAP_KILL")
                .capabilities("inheritable", "CAP_NET_BIND_SERVICE", "CAP_KILL")
                .capabilities("ambient", "CAP_KILL"), "cat /proc/self/status");
        // For a non-root user only ambient caps survive execve into a file without file caps:
        // permitted = effective = ambient.
        long ambient = Capabilities.mask(Set.of("CAP_KILL"));
        assertCaps(ambient, status, "CapAmb");
        assertCaps(ambient, status, "CapPrm");
        assertCaps(ambient, status, "CapEff");
        assertCaps(Capabilities.mask(Set.of("CAP_NET_BIND_SERVICE", "CAP_KILL", "CAP_CHOWN")), status, "CapBnd");
    }

    @Test
    void capabilities_missingChown_chownFails() {
        var r = probeResult(newBundle().rootReadonly(false), "touch /tmp/f && chown 1000 /tmp/f");
        assertTrue(r.exitCode() != 0 && r.stderr().contains("Operation not permitted"), r.toString());
        String ok = probe(newBundle().rootReadonly(false).allCapabilitySets("CAP_CHOWN"),
                "touch /tmp/f && chown 1000 /tmp/f && stat -c %u /tmp/f");
        assertEquals("1000\n", ok);
    }

    private static void assertCaps(long expected, String status, String field) {
        long actual = Capabilities.parse(statusField(status, field));
        assertEquals(Capabilities.names(expected), Capabilities.names(actual), field);
    }
}
