/**
 * The only package that calls native code ({@code java.lang.foreign}): {@link dev.berth.runtime.syscall.Syscalls}
 * and its FFM binding, and the libseccomp binding. Errors become {@link dev.berth.runtime.syscall.SyscallException}
 * naming the call, the object and the errno in Go's wording.
 */
package dev.berth.runtime.syscall;
