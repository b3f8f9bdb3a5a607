/**
 * The native layer, the only package that calls native code. The system calls come in roles, so that each
 * consumer and each test fake takes only what it needs: {@link dev.berth.sys.ProcessSyscalls} (spawn, wait,
 * signal), {@link dev.berth.sys.FdSyscalls} (open, read, write, close, pipes, FIFOs),
 * {@link dev.berth.sys.SocketSyscalls} (unix sockets, fd passing), {@link dev.berth.sys.EventSyscalls} (eventfd,
 * inotify, poll),
 * {@link dev.berth.sys.MountSyscalls}, {@link dev.berth.sys.TerminalSyscalls} and {@link dev.berth.sys.FileSyscalls}
 * (file metadata), {@link dev.berth.sys.NetnsSyscalls} (network namespaces: a new one held by a bind mount, setns of
 * the calling thread). {@link dev.berth.sys.Syscalls} is all but the last two at once, for composition roots;
 * {@link dev.berth.sys.Syscalls#withProcesses} replaces the process role (the shim's reaper).
 *
 * <p>{@link dev.berth.sys.LinuxSyscalls} binds them through JNI ({@code src/main/c/berth-syscall.c}, built into
 * {@code target/libberth-syscall.so}); each program's main passes the library's path to
 * {@link dev.berth.sys.LinuxSyscalls#load}. libseccomp is bound lazily through FFM
 * ({@link dev.berth.sys.FfmLibSeccomp}). Errors become {@link dev.berth.sys.SyscallException} naming the call, the
 * object and the errno in Go's wording. Depends on the JDK only.
 */
package dev.berth.sys;
