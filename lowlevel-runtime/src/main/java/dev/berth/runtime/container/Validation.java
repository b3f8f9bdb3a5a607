package dev.berth.runtime.container;

import dev.berth.runtime.spec.Spec;
import dev.berth.runtime.spec.SpecException;

/** Checks for what the spec allows but this runtime or machine cannot do: a clear error, never silent success. */
final class Validation {
    private Validation() {}

    static void check(Spec spec, CreateOptions options) {
        checkProcess(spec.process(), options.consoleSocket() != null);
        if (!spec.linux().mountLabel().isEmpty()) {
            throw new SpecException("linux.mountLabel: SELinux is not supported on this system");
        }
        if (spec.linux().hasIntelRdt()) {
            throw new SpecException("linux.intelRdt: Intel RDT is not supported on this system");
        }
        if (spec.linux().seccomp() != null && !spec.linux().seccomp().listenerPath().isEmpty()) {
            throw new SpecException("linux.seccomp.listenerPath: seccomp user notification is not supported yet");
        }
        if (spec.root() == null) {
            throw new SpecException("root is required");
        }
        checkSysctls(spec);
    }

    /**
     * A sysctl is allowed only if it belongs to a namespace the container has of its own, as runc checks: IPC
     * sysctls need an ipc namespace, {@code net.*} a network namespace, the UTS names a uts namespace.
     */
    private static void checkSysctls(Spec spec) {
        java.util.Set<String> own = new java.util.HashSet<>();
        spec.linux().namespaces().forEach(ns -> own.add(ns.type()));
        for (String key : spec.linux().sysctl().keySet()) {
            String ns;
            if (IPC_SYSCTLS.contains(key) || key.startsWith("fs.mqueue.")) {
                ns = "ipc";
            } else if (key.startsWith("net.")) {
                ns = "network";
            } else if (key.equals("kernel.hostname") || key.equals("kernel.domainname")) {
                ns = "uts";
            } else {
                throw new SpecException("sysctl \"" + key + "\" is not in a separate kernel namespace");
            }
            if (!own.contains(ns)) {
                throw new SpecException("sysctl \"" + key + "\" is not allowed: the container has no " + ns
                        + " namespace of its own");
            }
        }
    }

    private static final java.util.Set<String> IPC_SYSCTLS = java.util.Set.of("kernel.msgmax", "kernel.msgmnb",
            "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    static void checkProcess(Spec.Process p, boolean hasConsoleSocket) {
        if (p.args().isEmpty()) {
            throw new SpecException("process.args must not be empty");
        }
        if (!p.cwd().startsWith("/")) {
            throw new SpecException("process.cwd " + p.cwd() + " is not an absolute path");
        }
        if (!p.apparmorProfile().isEmpty()) {
            throw new SpecException("process.apparmorProfile: AppArmor is not supported on this system");
        }
        if (!p.selinuxLabel().isEmpty()) {
            throw new SpecException("process.selinuxLabel: SELinux is not supported on this system");
        }
        if (p.scheduler() != null) {
            throw new SpecException("process.scheduler is not supported yet");
        }
        if (p.ioPriority() != null) {
            throw new SpecException("process.ioPriority is not supported yet");
        }
        if (p.terminal() && !hasConsoleSocket) {
            throw new SpecException("cannot allocate tty if runc will detach without setting console socket");
        }
        if (!p.terminal() && hasConsoleSocket) {
            throw new SpecException("cannot use console socket if runc will not detach or allocate tty");
        }
    }
}
