package dev.berth.it.runtime;

import static dev.berth.testsupport.Json.arr;
import static dev.berth.testsupport.Json.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.ContainerTest;
import dev.berth.it.support.RuncDeviation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CVE-2024-21626 cwd check (getcwd must show a path inside the root) under a seccomp profile that denies
 * getcwd. Without no_new_privs the filter is installed before the identity change, so a check made after it fails
 * create although the cwd is fine; berth-runtime checks the cwd before the filter (docs/runtime-conformance.md).
 */
class CwdCheckUnderSeccompTest extends ContainerTest {

    private static Map<String, Object> denyGetcwd() {
        return obj("defaultAction", "SCMP_ACT_ALLOW", "architectures", arr("SCMP_ARCH_X86_64", "SCMP_ARCH_X86",
                "SCMP_ARCH_X32"), "syscalls", arr(obj("names", arr("getcwd"), "action", "SCMP_ACT_ERRNO")));
    }

    private Bundle echoUnderProfile(boolean noNewPrivileges) {
        return newBundle().noNewPrivileges(noNewPrivileges).seccomp(denyGetcwd()).cwd("/tmp").args("echo", "ok");
    }

    @Test
    void getcwdDenied_withoutNoNewPrivs_processStarts() {
        CliResult r = runtime.run(newId(), echoUnderProfile(false));
        if (RuncDeviation.CWD_CHECK_AFTER_SECCOMP.applies()) {
            // "failed to verify if current working directory is safe: operation not permitted"
            assertTrue(!r.succeeded() && r.output().contains("current working directory"), r.toString());
            return;
        }
        assertEquals("ok\n", r.assertSuccess().stdout());
    }

    @Test
    void getcwdDenied_withNoNewPrivs_processStarts() {
        // with no_new_privs the filter comes last, after the check: both runtimes start the process
        assertEquals("ok\n", runtime.run(newId(), echoUnderProfile(true)).assertSuccess().stdout());
    }

    @Test
    void getcwdDenied_inTheContainer_theFilterStillApplies() {
        // busybox pwd -P calls getcwd: the profile is in force for the process itself
        CliResult r = runtime.run(newId(), newBundle().noNewPrivileges(true).seccomp(denyGetcwd()).args("pwd", "-P"));
        assertTrue(!r.succeeded() && r.stdout().isEmpty(), r.toString());
    }
}
