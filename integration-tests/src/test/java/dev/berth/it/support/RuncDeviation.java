package dev.berth.it.support;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the reference runtime, Debian's runc 1.1.5, knowingly differs from what berth-runtime promises, so one suite
 * passes against both. A test names the deviation at the one place it depends on it; against runc the test is then
 * skipped (an aborted assumption, visible in the report), against any other runtime it runs.
 */
public enum RuncDeviation {
    /** runtime-spec 1.1 {@code domainname}: runc implements it from 1.2 on; 1.1.5 silently ignores the field. */
    DOMAINNAME_IGNORED("runc 1.1.5 ignores the spec's domainname (supported from runc 1.2)"),

    /**
     * runtime-spec: poststart hooks run after the user process was started, during {@code start}. runc before 1.2
     * runs them at the end of {@code create} (state status "created"); runc 1.2 fixed it.
     */
    POSTSTART_RUNS_AT_CREATE("runc 1.1.5 runs poststart hooks during create, not after start"),

    /**
     * runtime-spec: "If any startContainer hook fails, the runtime MUST generate an error, stop the container". runc
     * 1.1.5's init writes to exec.fifo before it runs those hooks, so {@code start} succeeds; the container stops
     * without running its process, and nobody reports the hook's failure.
     */
    START_CONTAINER_HOOK_FAILURE_NOT_REPORTED("runc 1.1.5's start succeeds although a startContainer hook failed"),

    /** runc's "container does not exist" does not say which id; berth-runtime names it (STYLE.md, errors). */
    UNKNOWN_ID_MESSAGE_OMITS_ID("runc 1.1.5 says \"container does not exist\" without the id"),

    /** runc prints the bare Go JSON error ("invalid character …") without naming config.json. */
    MALFORMED_CONFIG_MESSAGE_OMITS_FILE("runc 1.1.5 reports a JSON syntax error without naming config.json"),

    /**
     * Without a mount namespace, runc 1.1.5 still runs its rootfs set-up in the host's mount namespace: it makes the
     * host's {@code /} a recursive slave, binds the rootfs onto itself and mounts the spec's mounts there. A test of
     * that case must not run against it: it would change this machine's mount table.
     */
    MOUNTS_ON_THE_HOST_WITHOUT_MOUNT_NAMESPACE("runc 1.1.5 changes the host's mounts when the container has no mount"
            + " namespace (not run against it, to keep this machine's mount table intact)"),

    /**
     * CVE-2024-21626: runc checks the cwd with getcwd after a seccomp filter installed early (no_new_privs off), so
     * a profile that denies getcwd fails create; berth-runtime checks before the filter.
     */
    CWD_CHECK_AFTER_SECCOMP("runc 1.1.5+deb12u1 verifies the cwd after a filter that may deny getcwd");

    /** The reference runtime the suite proves itself against. */
    public static final Path RUNC = Path.of("/usr/sbin/runc");

    private final String why;

    RuncDeviation(String why) {
        this.why = why;
    }

    /** True when the runtime under test is runc, which has this deviation: a test then asserts runc's variant. */
    public boolean applies() {
        return isRunc(ContainerTest.RUNTIME_BINARY);
    }

    /** Skips the calling test when the runtime under test is runc. */
    public void assumeNotApplicable() {
        Assumptions.assumeFalse(isRunc(ContainerTest.RUNTIME_BINARY), why);
    }

    /** True when the runtime is runc itself (by file name, the way containerd names its runtime binary). */
    public static boolean isRunc(Path runtime) {
        return runtime.getFileName().toString().equals("runc");
    }
}
