package dev.berth.runtime.security;

import dev.berth.runtime.spec.Spec;
import dev.berth.runtime.spec.SpecException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The spec's {@code process.rlimits} resolved to resource numbers and limits for berth-init's RLIMIT step. */
public final class Rlimits {

    /** {@code RLIM_INFINITY} as berth-init receives it (the bits of uint64 max). */
    public static final long INFINITY = -1L;

    /** Resource numbers of x86_64 and the generic Linux ABI (aarch64 and riscv64 use the same). */
    private static final Map<String, Integer> RESOURCES = Map.ofEntries(
            Map.entry("RLIMIT_CPU", 0), Map.entry("RLIMIT_FSIZE", 1), Map.entry("RLIMIT_DATA", 2),
            Map.entry("RLIMIT_STACK", 3), Map.entry("RLIMIT_CORE", 4), Map.entry("RLIMIT_RSS", 5),
            Map.entry("RLIMIT_NPROC", 6), Map.entry("RLIMIT_NOFILE", 7), Map.entry("RLIMIT_MEMLOCK", 8),
            Map.entry("RLIMIT_AS", 9), Map.entry("RLIMIT_LOCKS", 10), Map.entry("RLIMIT_SIGPENDING", 11),
            Map.entry("RLIMIT_MSGQUEUE", 12), Map.entry("RLIMIT_NICE", 13), Map.entry("RLIMIT_RTPRIO", 14),
            Map.entry("RLIMIT_RTTIME", 15));

    private Rlimits() {}

    /** One limit: {@code soft} and {@code hard} are unsigned, {@link #INFINITY} for no limit. */
    public record Limit(int resource, long soft, long hard) {}

    /** The resource number of an {@code RLIMIT_*} name; an unknown name is an error naming it. */
    public static int resource(String type) {
        Integer nr = RESOURCES.get(type);
        if (nr == null) {
            throw new SpecException("process.rlimits: unknown rlimit type " + type);
        }
        return nr;
    }

    /**
     * Resolves the spec's limits in their order. Errors: an unknown type, a type given twice (the spec says the
     * runtime must fail), a soft limit above the hard one (setrlimit would fail with EINVAL in the container).
     */
    public static List<Limit> resolve(List<Spec.Rlimit> rlimits) {
        List<Limit> limits = new ArrayList<>(rlimits.size());
        Set<String> seen = new HashSet<>();
        for (Spec.Rlimit r : rlimits) {
            int resource = resource(r.type());
            if (!seen.add(r.type())) {
                throw new SpecException("process.rlimits: duplicate rlimit type " + r.type());
            }
            if (Long.compareUnsigned(r.soft(), r.hard()) > 0) {
                throw new SpecException("process.rlimits " + r.type() + ": soft limit "
                        + Long.toUnsignedString(r.soft()) + " is above hard limit " + Long.toUnsignedString(r.hard()));
            }
            limits.add(new Limit(resource, r.soft(), r.hard()));
        }
        return List.copyOf(limits);
    }
}
