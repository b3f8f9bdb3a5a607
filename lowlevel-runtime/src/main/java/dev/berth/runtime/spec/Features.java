package dev.berth.runtime.spec;

import java.util.List;
import java.util.Map;

import static dev.berth.runtime.spec.DefaultSpec.object;

/**
 * The document {@code features} prints (runtime-spec {@code features.md}), as a value tree for
 * {@link Json#writePretty}: what Berth recognises, truthfully. No AppArmor, SELinux, Intel RDT, id-mapped mounts,
 * checkpoint or systemd cgroup driver; the caller supplies what other packages know (mount options, capability names,
 * the seccomp support of the loaded libseccomp).
 */
public final class Features {

    /** The oldest runtime-spec version Berth accepts in config.json. */
    public static final String OCI_VERSION_MIN = "1.0.0";
    /** The runtime-spec version Berth implements and writes in {@code spec} (runc 1.1's). */
    public static final String OCI_VERSION_MAX = "1.0.2-dev";

    static final List<String> HOOKS = List.of(
            "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

    /** The namespace types berth-init creates or joins, sorted as runc sorts them. */
    static final List<String> NAMESPACES = List.of(
            "cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts");

    private Features() {}

    /**
     * Seccomp as this host's Berth supports it: {@code enabled} is false when libseccomp cannot be loaded; the lists
     * are the names {@code linux.seccomp} may use; {@code libseccompVersion} is {@code seccomp_version()}'s.
     */
    public record Seccomp(boolean enabled, List<String> actions, List<String> operators, List<String> archs,
                          List<String> knownFlags, List<String> supportedFlags, String libseccompVersion) {

        public static Seccomp disabled() {
            return new Seccomp(false, List.of(), List.of(), List.of(), List.of(), List.of(), "");
        }
    }

    /** The features document, fields in runc's order. */
    public static Map<String, Object> document(List<String> mountOptions, List<String> capabilities,
                                               Seccomp seccomp) {
        Map<String, Object> seccompSection = seccomp.enabled()
                ? object("enabled", true,
                        "actions", seccomp.actions(),
                        "operators", seccomp.operators(),
                        "archs", seccomp.archs(),
                        "knownFlags", seccomp.knownFlags(),
                        "supportedFlags", seccomp.supportedFlags())
                : object("enabled", false);
        Map<String, Object> annotations = seccomp.enabled()
                ? object("io.github.seccomp.libseccomp.version", seccomp.libseccompVersion(),
                        "org.opencontainers.runc.checkpoint.enabled", "false")
                : object("org.opencontainers.runc.checkpoint.enabled", "false");
        return object(
                "ociVersionMin", OCI_VERSION_MIN,
                "ociVersionMax", OCI_VERSION_MAX,
                "hooks", HOOKS,
                "mountOptions", mountOptions,
                "linux", object(
                        "namespaces", NAMESPACES,
                        "capabilities", capabilities,
                        "cgroup", object("v1", true, "v2", true, "systemd", false, "systemdUser", false),
                        "seccomp", seccompSection,
                        "apparmor", object("enabled", false),
                        "selinux", object("enabled", false),
                        "intelRdt", object("enabled", false),
                        "mountExtensions", object("idmap", object("enabled", false))),
                "annotations", annotations);
    }
}
