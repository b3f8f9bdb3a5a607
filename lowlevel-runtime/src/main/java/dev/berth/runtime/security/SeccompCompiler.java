package dev.berth.runtime.security;

import dev.berth.runtime.spec.Linux;
import dev.berth.runtime.spec.SpecException;
import dev.berth.sys.LibSeccomp;
import dev.berth.sys.LibSeccomp.ArgCmp;
import dev.berth.sys.LibSeccomp.Attribute;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Compiles the spec's {@code linux.seccomp} into the BPF program and {@code seccomp(2)} flags berth-init loads,
 * with libseccomp doing the code generation, as runc does.
 *
 * <p>Follows runc's {@code libcontainer/seccomp}: a rule whose action equals the default action is dropped (libseccomp
 * refuses it); a syscall name libseccomp cannot resolve is skipped (it may be newer than the library); when two
 * conditions of a rule test the same argument, each becomes its own rule (libseccomp cannot AND them); the
 * no_new_privs attribute is cleared because berth-init sets no_new_privs as the spec says. An unknown action, operator,
 * architecture or flag is an error. {@code SCMP_ACT_NOTIFY} is refused: Berth has no seccomp agent support. When
 * the default action refuses, {@link EnosysStub} makes syscalls newer than the profile fail with ENOSYS, as runc does.
 */
public final class SeccompCompiler {

    private static final int EPERM = 1;
    private static final int MAX_ARGUMENTS = 6;
    /** runc's threshold for libseccomp's binary-tree layout (libseccomp 2.5.4 and older misbehave with 0 rules). */
    private static final int BINARY_TREE_MIN_RULES = 32;

    private final LibSeccomp lib;

    public SeccompCompiler(LibSeccomp lib) {
        this.lib = lib;
    }

    public CompiledSeccomp compile(Linux.Seccomp seccomp) {
        int defaultAction = action(seccomp.defaultAction(), seccomp.defaultErrnoRet(), "seccomp defaultAction");
        if (defaultAction == LibSeccomp.ACT_NOTIFY) {
            throw new SpecException("seccomp defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
        }
        int flags = flags(seccomp.flags());
        List<Rule> rules = rules(seccomp.syscalls(), defaultAction);
        Map<String, Integer> archTokens = new LinkedHashMap<>();
        for (String arch : seccomp.architectures()) {
            archTokens.put(arch, arch(arch));
        }
        try (LibSeccomp.Filter filter = lib.newFilter(defaultAction)) {
            archTokens.forEach((name, token) -> filter.addArch(token, name));
            filter.setAttribute(Attribute.CTL_NNP, 0);
            if ((flags & CompiledSeccomp.FLAG_LOG) != 0) {
                filter.setAttribute(Attribute.CTL_LOG, 1);
            }
            if ((flags & CompiledSeccomp.FLAG_SPEC_ALLOW) != 0) {
                filter.setAttribute(Attribute.CTL_SSB, 1);
            }
            if (seccomp.syscalls().size() > BINARY_TREE_MIN_RULES) {
                filter.setAttribute(Attribute.CTL_OPTIMIZE, 2);
            }
            for (Rule rule : rules) {
                add(filter, rule);
            }
            byte[] program = filter.exportBpf();
            if (EnosysStub.wanted(defaultAction)) {
                List<String> names = seccomp.syscalls().stream().flatMap(call -> call.names().stream()).toList();
                List<Integer> tokens = List.copyOf(new LinkedHashSet<>(archTokens.values()));
                program = EnosysStub.prepend(EnosysStub.lastSyscalls(lib, tokens, names), program);
            }
            return new CompiledSeccomp(flags, program);
        }
    }

    /** One spec syscall entry, validated and encoded, before its names are resolved. */
    private record Rule(List<String> names, int action, List<ArgCmp> args) {}

    private static List<Rule> rules(List<Linux.Syscall> syscalls, int defaultAction) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < syscalls.size(); i++) {
            Linux.Syscall call = syscalls.get(i);
            String where = "seccomp syscalls[" + i + "]"
                    + (call.names().isEmpty() ? "" : " " + call.names().getFirst());
            if (call.names().isEmpty() || call.names().stream().anyMatch(String::isEmpty)) {
                throw new SpecException(where + ": names must be non-empty syscall names");
            }
            int action = action(call.action(), call.errnoRet(), where);
            if (action == LibSeccomp.ACT_NOTIFY) {
                throw new SpecException(where + ": SCMP_ACT_NOTIFY is not supported (no seccomp agent support)");
            }
            List<ArgCmp> args = new ArrayList<>();
            for (Linux.SyscallArg arg : call.args()) {
                Integer op = SeccompNames.OPERATORS.get(arg.op());
                if (op == null) {
                    throw new SpecException(where + ": unknown seccomp operator " + arg.op());
                }
                if (arg.index() < 0 || arg.index() >= MAX_ARGUMENTS) {
                    throw new SpecException(where + ": argument index " + arg.index() + " is out of range 0-5");
                }
                args.add(new ArgCmp(arg.index(), op, arg.value(), arg.valueTwo()));
            }
            if (action != defaultAction) {
                rules.add(new Rule(call.names(), action, List.copyOf(args)));
            }
        }
        return rules;
    }

    private void add(LibSeccomp.Filter filter, Rule rule) {
        for (String name : rule.names()) {
            OptionalInt nr = lib.resolveSyscall(name);
            if (nr.isEmpty()) {
                continue;
            }
            if (sharesAnArgument(rule.args())) {
                for (ArgCmp arg : rule.args()) {
                    filter.addRule(rule.action(), nr.getAsInt(), name, List.of(arg));
                }
            } else {
                filter.addRule(rule.action(), nr.getAsInt(), name, rule.args());
            }
        }
    }

    private static boolean sharesAnArgument(List<ArgCmp> args) {
        int seen = 0;
        for (ArgCmp arg : args) {
            int bit = 1 << arg.arg();
            if ((seen & bit) != 0) {
                return true;
            }
            seen |= bit;
        }
        return false;
    }

    private int arch(String name) {
        String libName = SeccompNames.ARCHITECTURES.get(name);
        OptionalInt token = libName == null ? OptionalInt.empty() : lib.resolveArch(libName);
        if (token.isEmpty()) {
            throw new SpecException("seccomp architectures: unknown architecture " + name);
        }
        return token.getAsInt();
    }

    /** The libseccomp action for a spec action name; errnoRet only where the action carries one (the spec's MUST). */
    static int action(String name, Long errnoRet, String where) {
        Integer base = SeccompNames.ACTIONS.get(name);
        if (base == null) {
            throw new SpecException(where + ": unknown seccomp action " + name);
        }
        boolean carriesValue = name.equals("SCMP_ACT_ERRNO") || name.equals("SCMP_ACT_TRACE");
        if (errnoRet == null) {
            return carriesValue ? base | EPERM : base;
        }
        if (!carriesValue) {
            throw new SpecException(where + ": errnoRet is not supported by action " + name);
        }
        if (errnoRet < 0 || errnoRet > 0xffff) {
            throw new SpecException(where + ": errnoRet " + errnoRet + " is out of range 0-65535");
        }
        return base | errnoRet.intValue();
    }

    static int flags(List<String> names) {
        int flags = 0;
        for (String name : names) {
            int bit = SeccompNames.flagBit(name);
            if (bit == 0) {
                throw new SpecException("seccomp flags: unknown or unsupported flag " + name);
            }
            flags |= bit;
        }
        return flags;
    }
}
