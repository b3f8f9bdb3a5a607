package dev.berth.runtime.security;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A classic-BPF interpreter for seccomp programs, evaluated on a {@code struct seccomp_data}, for tests. */
final class Bpf {
    static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    static final int AUDIT_ARCH_I386 = 0x40000003;
    static final int AUDIT_ARCH_AARCH64 = 0xc00000b7;

    private final ByteBuffer program;

    Bpf(byte[] program) {
        this.program = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
    }

    /** {@code struct seccomp_data}: int nr, u32 arch, u64 instruction_pointer, u64 args[6]. */
    static byte[] data(int arch, int nr, long... args) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        b.putInt(0, nr).putInt(4, arch).putLong(8, 0x7f00_1234_5678L);
        for (int i = 0; i < args.length; i++) {
            b.putLong(16 + 8 * i, args[i]);
        }
        return b.array();
    }

    /** Runs the program to its RET and returns the value: {@code SECCOMP_RET_*} with its data. */
    int run(byte[] data) {
        ByteBuffer d = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        int[] mem = new int[16];
        int a = 0;
        int x = 0;
        int pc = 0;
        int count = program.limit() / 8;
        for (int steps = 0; steps < 100_000; steps++) {
            if (pc < 0 || pc >= count) {
                throw new AssertionError("pc " + pc + " outside the program of " + count);
            }
            int code = Short.toUnsignedInt(program.getShort(pc * 8));
            int jt = Byte.toUnsignedInt(program.get(pc * 8 + 2));
            int jf = Byte.toUnsignedInt(program.get(pc * 8 + 3));
            int k = program.getInt(pc * 8 + 4);
            pc++;
            int cls = code & 0x07;
            switch (cls) {
                case 0x00, 0x01 -> { // LD, LDX
                    int mode = code & 0xe0;
                    int value = switch (mode) {
                        case 0x00 -> k; // IMM
                        case 0x20 -> { // ABS
                            if ((code & 0x18) != 0x00) {
                                throw new AssertionError("only 32-bit loads in seccomp: code " + code);
                            }
                            if (k < 0 || k + 4 > 64 || k % 4 != 0) {
                                throw new AssertionError("bad load offset " + k);
                            }
                            yield d.getInt(k);
                        }
                        case 0x60 -> mem[k]; // MEM
                        case 0x80 -> 64; // LEN
                        default -> throw new AssertionError("unsupported load mode " + mode);
                    };
                    if (cls == 0x00) {
                        a = value;
                    } else {
                        x = value;
                    }
                }
                case 0x02 -> mem[k] = a; // ST
                case 0x03 -> mem[k] = x; // STX
                case 0x04 -> { // ALU
                    int src = (code & 0x08) != 0 ? x : k;
                    a = switch (code & 0xf0) {
                        case 0x00 -> a + src;
                        case 0x10 -> a - src;
                        case 0x20 -> a * src;
                        case 0x30 -> Integer.divideUnsigned(a, src);
                        case 0x40 -> a | src;
                        case 0x50 -> a & src;
                        case 0x60 -> a << src;
                        case 0x70 -> a >>> src;
                        case 0x80 -> -a;
                        case 0x90 -> Integer.remainderUnsigned(a, src);
                        case 0xa0 -> a ^ src;
                        default -> throw new AssertionError("unsupported alu op " + code);
                    };
                }
                case 0x05 -> { // JMP
                    int src = (code & 0x08) != 0 ? x : k;
                    int op = code & 0xf0;
                    if (op == 0x00) {
                        pc += k;
                    } else {
                        boolean taken = switch (op) {
                            case 0x10 -> a == src;
                            case 0x20 -> Integer.compareUnsigned(a, src) > 0;
                            case 0x30 -> Integer.compareUnsigned(a, src) >= 0;
                            case 0x40 -> (a & src) != 0;
                            default -> throw new AssertionError("unsupported jump " + code);
                        };
                        pc += taken ? jt : jf;
                    }
                }
                case 0x06 -> { // RET
                    return switch (code & 0x18) {
                        case 0x00 -> k;
                        case 0x10 -> a;
                        default -> throw new AssertionError("unsupported ret " + code);
                    };
                }
                case 0x07 -> { // MISC
                    if ((code & 0xf8) == 0x00) {
                        x = a;
                    } else {
                        a = x;
                    }
                }
                default -> throw new AssertionError("unreachable class " + cls);
            }
        }
        throw new AssertionError("program did not return");
    }
}
