/**
 * Local filesystem metadata that the snapshotters and the layer code share: {@link dev.berth.manager.fs.FileStat}
 * (an {@code lstat} as a value) and {@link dev.berth.manager.fs.TreeCopier} (a faithful copy of a tree: modes,
 * owners, times, xattrs, hard links, device nodes), {@link dev.berth.manager.fs.Permissions} (the modes berthd
 * gives its root, stores and database, set whatever the umask), and {@link dev.berth.manager.fs.CleanPath} (Go's
 * {@code path.Clean}, as docker cleans paths in containers and images). Calls that java.nio lacks go through
 * {@link dev.berth.sys.FileSyscalls}.
 */
package dev.berth.manager.fs;
