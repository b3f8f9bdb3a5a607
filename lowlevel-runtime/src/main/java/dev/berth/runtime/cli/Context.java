package dev.berth.runtime.cli;

import dev.berth.runtime.cgroup.CgroupHost;
import dev.berth.runtime.container.OciRuntime;
import dev.berth.runtime.syscall.LinuxSyscalls;
import dev.berth.runtime.syscall.Syscalls;
import java.io.PrintStream;
import java.nio.file.Path;

/** What every verb gets: the global options, the log, the output, and the runtime built on first use. */
final class Context {
    final Path root;
    private final Path initBinary;
    final Log log;
    final PrintStream out;
    final boolean systemdCgroup;
    private Syscalls sys;
    private OciRuntime runtime;

    /** @param initBinary berth-init, which the launcher names ({@code -Dberth.init}) and Main reads once */
    Context(Path root, Path initBinary, Log log, PrintStream out, boolean systemdCgroup) {
        this.root = root;
        this.initBinary = initBinary;
        this.log = log;
        this.out = out;
        this.systemdCgroup = systemdCgroup;
    }

    Syscalls sys() {
        if (sys == null) {
            sys = new LinuxSyscalls();
        }
        return sys;
    }

    OciRuntime runtime() {
        if (runtime == null) {
            runtime = new OciRuntime(sys(), initBinary,
                    CgroupHost.system(), root, log::warn);
        }
        return runtime;
    }

    /** Refuses what this machine cannot do before anything is created. */
    void checkCanCreate() {
        if (systemdCgroup) {
            throw new Flags.UsageException("--systemd-cgroup: the systemd cgroup driver is not supported: "
                    + "berth-runtime manages cgroupfs directly and there is no systemd on this machine");
        }
    }
}
