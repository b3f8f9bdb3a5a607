package dev.berth.manager.engine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.model.DockerJson;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompProfileTest {
    /** docs.docker.com, "Seccomp security profiles for Docker": significant syscalls the default profile blocks. */
    private static final List<String> DOCUMENTED_BLOCKED = List.of("acct", "add_key", "bpf", "clock_adjtime",
            "clock_settime", "create_module", "delete_module", "finit_module", "get_kernel_syms", "get_mempolicy",
            "init_module", "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie",
            "mbind", "mount", "move_pages", "nfsservctl", "open_by_handle_at", "perf_event_open", "pivot_root",
            "query_module", "quotactl", "reboot", "request_key", "set_mempolicy", "setns", "settimeofday", "stime",
            "swapon", "swapoff", "sysfs", "_sysctl", "umount", "umount2", "unshare", "uselib", "userfaultfd",
            "ustat", "vm86", "vm86old");
    private static final List<String> EVERYDAY = List.of("read", "write", "openat", "execve", "mmap", "futex",
            "exit_group", "wait4", "rt_sigaction", "socketcall", "setuid", "chown", "mknod", "chroot", "ptrace");

    private final ObjectMapper json = DockerJson.mapper();

    private JsonNode oci(List<String> caps) {
        return SeccompProfile.defaultProfile(json).toOci(json, caps, "amd64");
    }

    /** The names a rule allows whatever the arguments. */
    private static List<String> allowedOutright(JsonNode seccomp) {
        List<String> out = new ArrayList<>();
        for (JsonNode rule : seccomp.path("syscalls")) {
            if (rule.path("action").asText().equals("SCMP_ACT_ALLOW") && !rule.has("args")) {
                rule.path("names").forEach(n -> out.add(n.asText()));
            }
        }
        return out;
    }

    private static List<JsonNode> rulesFor(JsonNode seccomp, String name) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode rule : seccomp.path("syscalls")) {
            for (JsonNode n : rule.path("names")) {
                if (n.asText().equals(name)) {
                    out.add(rule);
                }
            }
        }
        return out;
    }

    @Test
    void defaultProfile_deniesByDefaultWithEperm() {
        JsonNode seccomp = oci(Capabilities.DEFAULT);
        assertEquals("SCMP_ACT_ERRNO", seccomp.path("defaultAction").asText());
        assertEquals(1, seccomp.path("defaultErrnoRet").asInt());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                texts(seccomp.path("architectures")));
    }

    @Test
    void defaultProfile_blocksTheDocumentedSyscalls() {
        List<String> allowed = allowedOutright(oci(Capabilities.DEFAULT));
        for (String name : DOCUMENTED_BLOCKED) {
            assertFalse(allowed.contains(name), name + " is allowed");
        }
        for (String name : EVERYDAY) {
            assertTrue(allowed.contains(name), name + " is not allowed");
        }
    }

    @Test
    void defaultProfile_argumentRules() {
        JsonNode seccomp = oci(Capabilities.DEFAULT);
        List<Long> personas = rulesFor(seccomp, "personality").stream()
                .map(r -> r.path("args").get(0).path("value").asLong()).toList();
        assertEquals(List.of(0L, 8L, 0x20000L, 0x20008L, 0xffffffffL), personas);
        JsonNode clone = rulesFor(seccomp, "clone").getFirst();
        assertEquals("SCMP_CMP_MASKED_EQ", clone.path("args").get(0).path("op").asText());
        assertEquals(0x7E020000L, clone.path("args").get(0).path("value").asLong());
        JsonNode clone3 = rulesFor(seccomp, "clone3").getFirst();
        assertEquals("SCMP_ACT_ERRNO", clone3.path("action").asText());
        assertEquals(38, clone3.path("errnoRet").asInt());
        assertEquals("SCMP_CMP_NE", rulesFor(seccomp, "socket").getFirst().path("args").get(0).path("op").asText());
    }

    @Test
    void defaultProfile_capabilitiesAllowTheirSyscalls() {
        List<String> caps = new ArrayList<>(Capabilities.DEFAULT);
        caps.add("CAP_SYS_ADMIN");
        caps.add("CAP_SYS_TIME");
        JsonNode seccomp = oci(caps);
        List<String> allowed = allowedOutright(seccomp);
        for (String name : List.of("mount", "umount2", "unshare", "setns", "clone", "clone3", "pivot_root",
                "settimeofday", "clock_settime")) {
            assertTrue(allowed.contains(name), name + " is not allowed");
        }
        assertTrue(rulesFor(seccomp, "clone3").stream().allMatch(r -> r.path("action").asText()
                .equals("SCMP_ACT_ALLOW")));
        List<String> withoutChroot = allowedOutright(oci(Capabilities.DEFAULT.stream()
                .filter(c -> !c.equals("CAP_SYS_CHROOT")).toList()));
        assertFalse(withoutChroot.contains("chroot"));
    }

    @Test
    void dockerFormat_legacyNameAndArchitectures() {
        SeccompProfile p = SeccompProfile.parse(json, """
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"name": "mkdir", "action": "SCMP_ACT_ERRNO"},
                              {"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "includes": {"arches": ["arm64"]}},
                              {"names": ["chown"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_CHOWN"]}}]}
                """);
        JsonNode oci = p.toOci(json, Capabilities.DEFAULT, "amd64");
        assertEquals(List.of("SCMP_ARCH_X86_64"), texts(oci.path("architectures")));
        assertEquals(1, oci.path("syscalls").size());
        assertEquals("mkdir", oci.path("syscalls").get(0).path("names").get(0).asText());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
