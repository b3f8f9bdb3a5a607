package dev.berth.runtime.security;

import dev.berth.runtime.spec.Features;
import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.Linux;
import dev.berth.runtime.spec.RuncCli;
import dev.berth.sys.LibSeccomp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SeccompFeaturesTest {
    private final LibSeccomp lib = LibSeccomp.load();

    @Test
    void probe_libseccompLoaded_enabledWithItsVersion() {
        Features.Seccomp seccomp = SeccompFeatures.probe(lib);

        assertTrue(seccomp.enabled());
        assertEquals(lib.version(), seccomp.libseccompVersion());
        assertTrue(seccomp.archs().contains("SCMP_ARCH_X86_64"));
        assertTrue(seccomp.supportedFlags().contains("SECCOMP_FILTER_FLAG_TSYNC"));
        assertTrue(seccomp.knownFlags().containsAll(seccomp.supportedFlags()));
    }

    @Test
    void probe_everyListedActionAndFlagCompiles() {
        Features.Seccomp seccomp = SeccompFeatures.probe(lib);
        SeccompCompiler compiler = new SeccompCompiler(lib);

        // Architectures are recognised names; which of them one filter may mix is libseccomp's rule (one byte
        // order: SCMP_ARCH_MIPS next to the native x86_64 fails with EDOM, in runc too).
        for (String action : seccomp.actions()) {
            compiler.compile(new Linux.Seccomp("SCMP_ACT_ALLOW", null,
                    List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), seccomp.supportedFlags(), "", "",
                    List.of(new Linux.Syscall(List.of("mkdir"), action, null, List.of()))));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void document_agreesWithRuncFeatures(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(RuncCli.installed(), "runc is not installed");
        Map<String, Object> runc = (Map<String, Object>) Json.parse(RuncCli.run(dir, "features"));
        List<String> runcMountOptions = (List<String>) runc.get("mountOptions");

        Map<String, Object> ours = Features.document(runcMountOptions, Capabilities.known(),
                SeccompFeatures.probe(lib));

        assertEquals(runc.get("ociVersionMin"), ours.get("ociVersionMin"));
        assertEquals(runc.get("hooks"), ours.get("hooks"));
        Map<String, Object> runcLinux = (Map<String, Object>) runc.get("linux");
        Map<String, Object> ourLinux = (Map<String, Object>) ours.get("linux");
        assertEquals(runcLinux.get("capabilities"), ourLinux.get("capabilities"));
        assertTrue(((List<String>) ourLinux.get("namespaces")).containsAll((List<String>) runcLinux.get("namespaces")));

        Map<String, Object> runcSeccomp = (Map<String, Object>) runcLinux.get("seccomp");
        Map<String, Object> ourSeccomp = (Map<String, Object>) ourLinux.get("seccomp");
        List<String> runcActionsWithoutNotify = new ArrayList<>((List<String>) runcSeccomp.get("actions"));
        runcActionsWithoutNotify.remove("SCMP_ACT_NOTIFY");
        assertEquals(runcActionsWithoutNotify, ourSeccomp.get("actions"));
        assertEquals(runcSeccomp.get("operators"), ourSeccomp.get("operators"));
        assertTrue(((List<String>) ourSeccomp.get("archs")).containsAll((List<String>) runcSeccomp.get("archs")));

        Map<String, Object> runcAnnotations = (Map<String, Object>) runc.get("annotations");
        Map<String, Object> ourAnnotations = (Map<String, Object>) ours.get("annotations");
        assertEquals(runcAnnotations.get("io.github.seccomp.libseccomp.version"),
                ourAnnotations.get("io.github.seccomp.libseccomp.version"));
        assertEquals("false", ourAnnotations.get("org.opencontainers.runc.checkpoint.enabled"));
    }
}
