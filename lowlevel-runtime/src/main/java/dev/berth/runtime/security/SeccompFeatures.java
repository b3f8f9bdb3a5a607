package dev.berth.runtime.security;

import dev.berth.runtime.spec.Features;
import dev.berth.sys.LibSeccomp;
import dev.berth.sys.LibSeccomp.Attribute;
import dev.berth.sys.LibSeccomp.LibSeccompException;

import java.util.ArrayList;
import java.util.List;

/** What {@link SeccompCompiler} accepts with the libseccomp of this host, for the {@code features} document. */
public final class SeccompFeatures {

    private SeccompFeatures() {}

    /**
     * Probes {@code lib}: disabled if the library cannot be loaded. Architectures are those the library resolves;
     * {@code SCMP_ACT_NOTIFY} is left out (refused: no seccomp agent support); a flag is supported when the library
     * accepts its attribute, as runc checks it.
     */
    public static Features.Seccomp probe(LibSeccomp lib) {
        String version;
        try {
            version = lib.version();
        } catch (LibSeccompException e) {
            return Features.Seccomp.disabled();
        }
        List<String> actions = new ArrayList<>(SeccompNames.ACTIONS.keySet());
        actions.remove("SCMP_ACT_NOTIFY");
        List<String> archs = new ArrayList<>();
        SeccompNames.ARCHITECTURES.forEach((name, libName) -> {
            if (lib.resolveArch(libName).isPresent()) {
                archs.add(name);
            }
        });
        List<String> supported = new ArrayList<>();
        for (String flag : SeccompNames.FLAGS) {
            if (flagSupported(lib, flag)) {
                supported.add(flag);
            }
        }
        return new Features.Seccomp(true, List.copyOf(actions), List.copyOf(SeccompNames.OPERATORS.keySet()),
                List.copyOf(archs), SeccompNames.FLAGS, List.copyOf(supported), version);
    }

    private static boolean flagSupported(LibSeccomp lib, String flag) {
        Attribute attribute = switch (flag) {
            case "SECCOMP_FILTER_FLAG_LOG" -> Attribute.CTL_LOG;
            case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> Attribute.CTL_SSB;
            default -> null; // TSYNC: berth-init passes the bit to seccomp(2) itself
        };
        if (attribute == null) {
            return true;
        }
        try (LibSeccomp.Filter filter = lib.newFilter(LibSeccomp.ACT_ALLOW)) {
            filter.setAttribute(attribute, 1);
            return true;
        } catch (LibSeccompException e) {
            return false;
        }
    }
}
