package dev.berth.runtime.spec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class FeaturesTest {

    @Test
    @SuppressWarnings("unchecked")
    void document_seccompDisabled_noLibseccompAnnotation() {
        Map<String, Object> doc = Features.document(List.of("ro"), List.of("CAP_CHOWN"), Features.Seccomp.disabled());

        Map<String, Object> linux = (Map<String, Object>) doc.get("linux");
        assertEquals(Map.of("enabled", false), linux.get("seccomp"));
        assertEquals(Map.of("org.opencontainers.runc.checkpoint.enabled", "false"), doc.get("annotations"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void document_claimsNoAppArmorSelinuxRdtSystemd() {
        Map<String, Object> doc = Features.document(List.of(), List.of(), Features.Seccomp.disabled());

        Map<String, Object> linux = (Map<String, Object>) doc.get("linux");
        assertEquals(Map.of("enabled", false), linux.get("apparmor"));
        assertEquals(Map.of("enabled", false), linux.get("selinux"));
        assertEquals(Map.of("enabled", false), linux.get("intelRdt"));
        Map<String, Object> cgroup = (Map<String, Object>) linux.get("cgroup");
        assertEquals(false, cgroup.get("systemd"));
        assertEquals(false, cgroup.get("systemdUser"));
    }

    @Test
    void document_fieldOrderAsRunc() {
        Map<String, Object> doc = Features.document(List.of(), List.of(), Features.Seccomp.disabled());

        assertEquals(List.of("ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux", "annotations"),
                List.copyOf(doc.keySet()));
        assertFalse(Json.writePretty(doc, 2).isEmpty());
    }
}
