package dev.berth.runtime.security;

import dev.berth.runtime.spec.Spec;
import dev.berth.runtime.spec.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilitiesTest {

    @Test
    void number_wellKnownCapabilities() {
        assertEquals(0, Capabilities.number("CAP_CHOWN"));
        assertEquals(13, Capabilities.number("CAP_NET_RAW"));
        assertEquals(21, Capabilities.number("CAP_SYS_ADMIN"));
        assertEquals(29, Capabilities.number("CAP_AUDIT_WRITE"));
        assertEquals(38, Capabilities.number("CAP_PERFMON"));
        assertEquals(39, Capabilities.number("CAP_BPF"));
        assertEquals(40, Capabilities.number("CAP_CHECKPOINT_RESTORE"));
    }

    @Test
    void name_roundTripsEveryNumber() {
        for (int nr = 0; nr <= Capabilities.LAST_KNOWN; nr++) {
            assertEquals(nr, Capabilities.number(Capabilities.name(nr)));
        }
        assertEquals(41, Capabilities.known().size());
    }

    @Test
    void number_unknownName_errorNamesIt() {
        SpecException e = assertThrows(SpecException.class, () -> Capabilities.number("CAP_NET_RAWR"));

        assertEquals("unknown capability \"CAP_NET_RAWR\"", e.getMessage());
    }

    @Test
    void number_lowercaseName_unknown() {
        assertThrows(SpecException.class, () -> Capabilities.number("cap_net_raw"));
    }

    @Test
    void mask_setsTheBitOfEachCapability() {
        long mask = Capabilities.mask(List.of("CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_AUDIT_WRITE"), 40);

        assertEquals((1L << 5) | (1L << 10) | (1L << 29), mask);
    }

    @Test
    void mask_capabilityAboveKernelsLast_leftOut() {
        long mask = Capabilities.mask(List.of("CAP_CHOWN", "CAP_BPF", "CAP_CHECKPOINT_RESTORE"), 37);

        assertEquals(1L, mask);
    }

    @Test
    void masks_fiveSetsFromSpec() {
        Spec.Capabilities caps = new Spec.Capabilities(List.of("CAP_CHOWN", "CAP_KILL"), List.of("CAP_KILL"),
                List.of(), List.of("CAP_KILL", "CAP_SETUID"), List.of("CAP_SETUID"));

        Capabilities.Masks masks = Capabilities.masks(caps, 40);

        assertEquals(new Capabilities.Masks(1L | 1L << 5, 1L << 5, 0, 1L << 5 | 1L << 7, 1L << 7), masks);
    }

    @Test
    void masks_noSection_none() {
        assertEquals(Capabilities.Masks.NONE, Capabilities.masks(null, 40));
    }

    @Test
    void kernelLastCap_readsProc() throws IOException {
        int last = Capabilities.kernelLastCap();

        assertTrue(last >= 36 && last <= 63, "cap_last_cap " + last);
    }

    @Test
    void readLastCap_garbage_error(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("cap_last_cap"), "forty\n");

        IOException e = assertThrows(IOException.class, () -> Capabilities.readLastCap(file));
        assertTrue(e.getMessage().startsWith("read " + file), e.getMessage());
    }
}
