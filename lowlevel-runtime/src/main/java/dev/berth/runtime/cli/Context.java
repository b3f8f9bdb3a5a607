package dev.berth.runtime.cli;

import dev.berth.runtime.cgroup.CgroupHost;
import dev.berth.runtime.container.OciRuntime;
import dev.berth.sys.LinuxSyscalls;
import dev.berth.sys.Syscalls;
import java.io.PrintStream;
import java.nio.file.Path;

/** What every verb gets: the global options, the log, the output, and the runtime built on first use. */
final class Context {
    final Path root;
    private final Path initBinary;
    final Log log;
    final PrintStream out;
    final boolean systemdCgroup;
    /** The JNI library's path, loaded on the first system call (not for {@code --version} or {@code spec}). */
    final Path syscallLibrary;
    private Syscalls sys;
    private OciRuntime runtime;

    /**
     * @param initBinary berth-init, which the launcher names ({@code -Dberth.init}) and Main reads once
     * @param syscallLibrary the JNI library, which the launcher names ({@code -Dberth.syscall.lib})
     */
    Context(Path root, Path initBinary, Log log, PrintStream out, boolean systemdCgroup, Path syscallLibrary) {
        this.root = root;
        this.initBinary = initBinary;
        this.log = log;
        this.out = out;
        this.systemdCgroup = systemdCgroup;
        this.syscallLibrary = syscallLibrary;
    }

    Syscalls sys() {
        if (sys == null) {
            sys = LinuxSyscalls.load(syscallLibrary);
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
