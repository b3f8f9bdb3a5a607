package dev.berth.runtime.security;

/**
 * A seccomp filter ready for berth-init's SECCOMP step: {@code flags} for {@code seccomp(2)} and the program as
 * {@code struct sock_filter[]} bytes (8 bytes an instruction, host byte order), as {@code seccomp_export_bpf}
 * writes it.
 */
public record CompiledSeccomp(int flags, byte[] program) {

    /** {@code SECCOMP_FILTER_FLAG_TSYNC}. */
    public static final int FLAG_TSYNC = 1;
    /** {@code SECCOMP_FILTER_FLAG_LOG}. */
    public static final int FLAG_LOG = 1 << 1;
    /** {@code SECCOMP_FILTER_FLAG_SPEC_ALLOW}. */
    public static final int FLAG_SPEC_ALLOW = 1 << 2;

    public CompiledSeccomp {
        if (program.length == 0 || program.length % 8 != 0) {
            throw new IllegalArgumentException(
                    "seccomp program of " + program.length + " bytes: not whole instructions");
        }
        program = program.clone();
    }

    @Override
    public byte[] program() {
        return program.clone();
    }

    /** The number of BPF instructions. */
    public int instructions() {
        return program.length / 8;
    }
}
