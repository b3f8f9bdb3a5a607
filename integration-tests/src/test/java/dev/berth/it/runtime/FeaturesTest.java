package dev.berth.it.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.ContainerTest;
import dev.berth.testsupport.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code features}: the runtime-spec "features" document (features.md) that callers query before using a field. */
class FeaturesTest extends ContainerTest {

    @Test
    @SuppressWarnings("unchecked")
    void features_isValidJsonWithRequiredFields() {
        Map<String, Object> f = Json.parseObject(runtime.call("features").assertSuccess().stdout());
        assertTrue(((String) f.get("ociVersionMin")).matches("1\\.\\d+\\.\\d+.*"), f.toString());
        assertTrue(((String) f.get("ociVersionMax")).matches("1\\.\\d+\\.\\d+.*"), f.toString());
        List<Object> hooks = (List<Object>) f.get("hooks");
        assertTrue(hooks.containsAll(List.of("prestart", "createRuntime", "createContainer", "startContainer",
                "poststart", "poststop")), hooks.toString());
        List<Object> mountOptions = (List<Object>) f.get("mountOptions");
        assertTrue(mountOptions.containsAll(List.of("ro", "rw", "nosuid", "nodev", "noexec", "bind", "rbind",
                "rprivate")), mountOptions.toString());
        Map<String, Object> linux = (Map<String, Object>) f.get("linux");
        assertTrue(((List<Object>) linux.get("namespaces")).containsAll(List.of("pid", "network", "ipc", "uts",
                "mount", "user")), linux.toString());
        List<Object> caps = (List<Object>) linux.get("capabilities");
        assertTrue(caps.containsAll(List.of("CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN")), caps.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void features_seccompAndCgroup_described() {
        Map<String, Object> f = Json.parseObject(runtime.call("features").assertSuccess().stdout());
        Map<String, Object> linux = (Map<String, Object>) f.get("linux");
        Map<String, Object> seccomp = (Map<String, Object>) linux.get("seccomp");
        assertEquals(true, seccomp.get("enabled"), "the suite's seccomp test needs it: " + seccomp);
        assertTrue(((List<Object>) seccomp.get("actions")).contains("SCMP_ACT_ERRNO"), seccomp.toString());
        Map<String, Object> cgroup = (Map<String, Object>) linux.get("cgroup");
        assertTrue(cgroup.containsKey("v1") && cgroup.containsKey("v2"), cgroup.toString());
    }
}
