package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.it.support.ContainerTest;
import org.junit.jupiter.api.Test;

/** {@code process.noNewPrivileges}: prctl(PR_SET_NO_NEW_PRIVS), visible as {@code NoNewPrivs} in status. */
class NoNewPrivilegesTest extends ContainerTest {

    @Test
    void noNewPrivileges_true_isSet() {
        assertEquals("NoNewPrivs:\t1\n", probe(newBundle().noNewPrivileges(true), "grep NoNewPrivs /proc/self/status"));
    }

    @Test
    void noNewPrivileges_false_isNotSet() {
        assertEquals("NoNewPrivs:\t0\n",
                probe(newBundle().noNewPrivileges(false), "grep NoNewPrivs /proc/self/status"));
    }
}
