package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.ContainerTest;
import org.junit.jupiter.api.Test;

/** {@code process.user}: uid, gid, additionalGids and umask. */
class UserTest extends ContainerTest {

    @Test
    void user_default_isRoot() {
        String out = probe(newBundle(), "id -u; id -g; id -G");
        assertEquals("0\n0\n0\n", out);
    }

    @Test
    void user_uidAndGid_applied() {
        // busybox id prints no groups= part when the supplementary list is empty.
        assertEquals("uid=1000(user) gid=1000(user)\n", probe(newBundle().user(1000, 1000), "id"));
    }

    @Test
    void user_additionalGids_applied() {
        String out = probe(newBundle().user(1000, 1000).additionalGids(5, 65534), "id -G");
        assertEquals(java.util.Set.of("1000", "5", "65534"), java.util.Set.of(out.strip().split(" ")), out);
    }

    @Test
    void user_noAdditionalGids_hostGroupsNotInherited() {
        // The runtime must setgroups() even when the list is empty: the caller's groups must not leak in.
        String groups = probe(newBundle().user(1000, 1000), "grep ^Groups: /proc/self/status");
        assertEquals("Groups:", groups.strip());
    }

    @Test
    void user_umask_applied() {
        assertEquals("0027\n", probe(newBundle().umask(0027), "umask"));
    }

    @Test
    void user_umask_defaultIs0022() {
        assertEquals("0022\n", probe(newBundle(), "umask"));
    }

    @Test
    void user_nonRoot_cannotWriteRootOwnedDir() {
        var r = probeResult(newBundle().rootReadonly(false).user(1000, 1000), "touch /root/x");
        assertTrue(r.exitCode() != 0 && r.stderr().contains("Permission denied"), r.toString());
    }
}
