package dev.berth.runtime.security;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Assembles a short classic-BPF program with named jump targets into {@code struct sock_filter[]} bytes. */
final class BpfAssembler {
    private static final int LD_W_ABS = 0x20;
    private static final int JMP_JA = 0x05;
    private static final int JMP_JEQ_K = 0x15;
    private static final int JMP_JGT_K = 0x25;
    private static final int JMP_JSET_K = 0x45;
    private static final int RET_K = 0x06;

    /** One instruction; a null target means the next instruction. */
    private record Insn(int code, String whenTrue, String whenFalse, int k, String jumpTo) {}

    private final List<Insn> insns = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    BpfAssembler label(String name) {
        if (labels.putIfAbsent(name, insns.size()) != null) {
            throw new IllegalStateException("bpf label " + name + " defined twice");
        }
        return this;
    }

    BpfAssembler loadWord(int offset) {
        insns.add(new Insn(LD_W_ABS, null, null, offset, null));
        return this;
    }

    BpfAssembler jumpIfEqual(int k, String whenTrue, String whenFalse) {
        insns.add(new Insn(JMP_JEQ_K, whenTrue, whenFalse, k, null));
        return this;
    }

    BpfAssembler jumpIfGreater(int k, String whenTrue, String whenFalse) {
        insns.add(new Insn(JMP_JGT_K, whenTrue, whenFalse, k, null));
        return this;
    }

    BpfAssembler jumpIfAnySet(int k, String whenTrue, String whenFalse) {
        insns.add(new Insn(JMP_JSET_K, whenTrue, whenFalse, k, null));
        return this;
    }

    BpfAssembler jump(String target) {
        insns.add(new Insn(JMP_JA, null, null, 0, target));
        return this;
    }

    BpfAssembler ret(int value) {
        insns.add(new Insn(RET_K, null, null, value, null));
        return this;
    }

    int size() {
        return insns.size();
    }

    /** The program; {@code end} names the position just after it (where a following program starts). */
    byte[] assemble(String end) {
        labels.putIfAbsent(end, insns.size());
        ByteBuffer out = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.nativeOrder());
        for (int pc = 0; pc < insns.size(); pc++) {
            Insn insn = insns.get(pc);
            int k = insn.code() == JMP_JA ? offset(pc, insn.jumpTo(), Integer.MAX_VALUE) : insn.k();
            out.putShort((short) insn.code())
                    .put((byte) offset(pc, insn.whenTrue(), 255))
                    .put((byte) offset(pc, insn.whenFalse(), 255))
                    .putInt(k);
        }
        return out.array();
    }

    private int offset(int pc, String label, int max) {
        if (label == null) {
            return 0;
        }
        Integer target = labels.get(label);
        if (target == null) {
            throw new IllegalStateException("bpf label " + label + " is not defined");
        }
        int offset = target - pc - 1;
        if (offset < 0 || offset > max) {
            throw new IllegalStateException("bpf jump to " + label + " of " + offset + " is out of range");
        }
        return offset;
    }
}
