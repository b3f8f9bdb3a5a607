package dev.berth.sys;

import java.util.List;
import java.util.Optional;

/**
 * The file-metadata system calls that {@code java.nio} lacks or spreads over several calls: device nodes,
 * extended attributes in every namespace ({@code trusted.}, {@code security.}, not only {@code user.}), set-id
 * mode bits, and owner and times of a symlink itself. The manager's layer apply and snapshot copy use them. Every
 * call except {@link #chmod} acts on a final symlink itself, not on what it points to. Failures are
 * {@link SyscallException}s as in {@link Syscalls}.
 */
public interface FileSyscalls {

    /** File type bits for {@link #mknod}'s mode. */
    int S_IFIFO = 0010000;
    int S_IFCHR = 0020000;
    int S_IFBLK = 0060000;

    /** {@code mknod(2)}: mode is a file type bit ORed with the permission bits. */
    void mknod(String path, int mode, long major, long minor);

    /** {@code lchown(2)}; -1 leaves that id unchanged. */
    void lchown(String path, int uid, int gid);

    /** {@code chmod(2)} with all 12 mode bits (set-id and sticky included); follows symlinks. */
    void chmod(String path, int mode);

    /** Sets access and modification time of the path itself ({@code utimensat} with AT_SYMLINK_NOFOLLOW). */
    void lutimes(String path, long epochSecond, long nanos);

    void lsetxattr(String path, String name, byte[] value);

    /** The attribute's value; empty when the file has no such attribute (ENODATA). */
    Optional<byte[]> lgetxattr(String path, String name);

    /** The names of the path's extended attributes; empty on filesystems without them (ENOTSUP). */
    List<String> llistxattr(String path);
}
