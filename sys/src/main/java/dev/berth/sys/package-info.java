/**
 * The native layer, the only package that calls native code: {@link dev.berth.sys.Syscalls} and
 * {@link dev.berth.sys.FileSyscalls} bound through JNI by {@link dev.berth.sys.LinuxSyscalls}
 * ({@code src/main/c/berth-syscall.c}, built into {@code libberth-syscall.so}, whose path each program's main passes
 * to {@link dev.berth.sys.LinuxSyscalls#load}), and libseccomp bound lazily through FFM
 * ({@link dev.berth.sys.FfmLibSeccomp}). Errors become {@link dev.berth.sys.SyscallException} naming the call, the
 * object and the errno in Go's wording. Depends on the JDK only.
 */
package dev.berth.sys;
