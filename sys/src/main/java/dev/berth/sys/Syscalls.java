package dev.berth.sys;

/**
 * Every role of the native layer in one object, for the composition roots that build the consumers and for the
 * runtime library's {@code OciRuntime}, which hands each part of itself its role. A consumer takes the narrowest
 * role it needs ({@link ProcessSyscalls}, {@link FdSyscalls}, {@link SocketSyscalls}, {@link MountSyscalls},
 * {@link TerminalSyscalls}, {@link EventSyscalls}; {@link FileSyscalls} for file metadata), and a test fake
 * implements only that role.
 *
 * <p>Every call checks its result and turns a failure into a {@link SyscallException} naming the operation, the
 * object and the errno; calls are retried on EINTR where that is safe. {@link LinuxSyscalls} binds them through
 * JNI.
 */
public interface Syscalls extends ProcessSyscalls, SocketSyscalls, EventSyscalls, MountSyscalls, TerminalSyscalls {

    /**
     * These system calls with the process role replaced, e.g. by one whose children are waited for through a
     * reaper; every other call still goes to this object.
     */
    default Syscalls withProcesses(ProcessSyscalls processes) {
        return new ProcessesReplaced(this, processes);
    }
}
