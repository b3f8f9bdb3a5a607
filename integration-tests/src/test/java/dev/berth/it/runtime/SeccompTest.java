package dev.berth.it.runtime;

import static dev.berth.testsupport.Json.arr;
import static dev.berth.testsupport.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code linux.seccomp}: a filter installed before the user process, checked by the syscalls it refuses. */
class SeccompTest extends ContainerTest {

    /** Allow everything but mkdir: busybox mkdir uses mkdir(2) on x86_64; mkdirat covers other builds. */
    private static Map<String, Object> denyMkdir(Object errnoRet) {
        Map<String, Object> rule = obj("names", arr("mkdir", "mkdirat"), "action", "SCMP_ACT_ERRNO");
        if (errnoRet != null) {
            rule.put("errnoRet", errnoRet);
        }
        return obj("defaultAction", "SCMP_ACT_ALLOW", "architectures", arr("SCMP_ARCH_X86_64", "SCMP_ARCH_X86",
                "SCMP_ARCH_X32"), "syscalls", arr(rule));
    }

    @Test
    void seccomp_errnoAction_mkdirFailsWithEperm() {
        CliResult r = probeResult(newBundle().rootReadonly(false).seccomp(denyMkdir(null)), "mkdir /tmp/d");
        assertTrue(r.exitCode() != 0 && r.stderr().contains("Operation not permitted"), r.toString());
    }

    @Test
    void seccomp_errnoRet_isReturned() {
        // errnoRet 28 is ENOSPC: the filter, not the filesystem, answers.
        CliResult r = probeResult(newBundle().rootReadonly(false).seccomp(denyMkdir(28L)), "mkdir /tmp/d");
        assertTrue(r.exitCode() != 0 && r.stderr().contains("No space left on device"), r.toString());
    }

    @Test
    void seccomp_otherSyscalls_allowed() {
        assertEquals("ok\n", probe(newBundle().rootReadonly(false).seccomp(denyMkdir(null)),
                "touch /tmp/f && rm /tmp/f && echo ok"));
    }

    @Test
    void seccomp_modeIsFilter() {
        // Seccomp: 2 is SECCOMP_MODE_FILTER in /proc/self/status.
        assertEquals("Seccomp:\t2\n", probe(newBundle().seccomp(denyMkdir(null)), "grep '^Seccomp:' /proc/self/status"));
        assertEquals("Seccomp:\t0\n", probe(newBundle(), "grep '^Seccomp:' /proc/self/status"));
    }

    @Test
    void seccomp_appliesToExecToo() {
        String id = newId();
        runtime.createAndStart(id, newBundle().rootReadonly(false).seccomp(denyMkdir(null)).args("sleep", "30"));
        CliResult r = runtime.execIn(id, "mkdir", "/tmp/d");
        assertTrue(r.exitCode() != 0 && r.output().contains("Operation not permitted"), r.toString());
    }
}
