package dev.berth.runtime.process;

import java.util.List;

/**
 * The container process as berth-init must start it, fully resolved: capability names turned into masks,
 * rlimit names into resource numbers, the seccomp profile compiled.
 */
public record ProcessSetup(
        List<String> args,
        List<String> env,
        String cwd,
        long uid,
        long gid,
        List<Long> additionalGids,
        Long umask,
        CapabilitySets capabilities,
        List<Rlimit> rlimits,
        boolean noNewPrivileges,
        Long oomScoreAdj,
        Long personality,
        SeccompProgram seccomp,
        boolean terminal,
        long consoleRows,
        long consoleCols) {

    /** A resource limit; -1 is infinity. */
    public record Rlimit(long resource, long soft, long hard) {}

    /** A compiled seccomp filter: the flags for seccomp(2) and the {@code struct sock_filter[]} bytes. */
    public record SeccompProgram(int flags, byte[] program) {}
}
