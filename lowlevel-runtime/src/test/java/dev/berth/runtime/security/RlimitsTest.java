package dev.berth.runtime.security;

import dev.berth.runtime.spec.Spec;
import dev.berth.runtime.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RlimitsTest {

    @Test
    void resolve_namesToX86_64Resources() {
        // Spec.Rlimit is (type, hard, soft); Limit is (resource, soft, hard)
        List<Rlimits.Limit> limits = Rlimits.resolve(List.of(
                new Spec.Rlimit("RLIMIT_NOFILE", 1024, 1024),
                new Spec.Rlimit("RLIMIT_CORE", 0, 0),
                new Spec.Rlimit("RLIMIT_RTTIME", 20, 10)));

        assertEquals(List.of(new Rlimits.Limit(7, 1024, 1024), new Rlimits.Limit(4, 0, 0),
                new Rlimits.Limit(15, 10, 20)), limits);
    }

    @Test
    void resolve_uint64Max_isInfinity() {
        // config.json's 18446744073709551615 reads as the long -1
        List<Rlimits.Limit> limits = Rlimits.resolve(List.of(new Spec.Rlimit("RLIMIT_STACK", -1, 8388608)));

        assertEquals(List.of(new Rlimits.Limit(3, 8388608, Rlimits.INFINITY)), limits);
    }

    @Test
    void resource_everyType() {
        String[] types = {"RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
                "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
                "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME"};
        for (int nr = 0; nr < types.length; nr++) {
            assertEquals(nr, Rlimits.resource(types[nr]));
        }
    }

    @Test
    void resolve_unknownType_errorNamesIt() {
        SpecException e = assertThrows(SpecException.class,
                () -> Rlimits.resolve(List.of(new Spec.Rlimit("RLIMIT_FILES", 1, 1))));

        assertEquals("process.rlimits: unknown rlimit type RLIMIT_FILES", e.getMessage());
    }

    @Test
    void resolve_duplicateType_error() {
        SpecException e = assertThrows(SpecException.class, () -> Rlimits.resolve(List.of(
                new Spec.Rlimit("RLIMIT_NOFILE", 1024, 1024), new Spec.Rlimit("RLIMIT_NOFILE", 2048, 2048))));

        assertEquals("process.rlimits: duplicate rlimit type RLIMIT_NOFILE", e.getMessage());
    }

    @Test
    void resolve_softAboveHard_error() {
        SpecException e = assertThrows(SpecException.class,
                () -> Rlimits.resolve(List.of(new Spec.Rlimit("RLIMIT_NOFILE", 1024, 2048))));

        assertEquals("process.rlimits RLIMIT_NOFILE: soft limit 2048 is above hard limit 1024", e.getMessage());
    }

    @Test
    void resolve_softFiniteHardInfinite_ok() {
        assertEquals(List.of(new Rlimits.Limit(7, 1024, -1)),
                Rlimits.resolve(List.of(new Spec.Rlimit("RLIMIT_NOFILE", -1, 1024))));
    }
}
