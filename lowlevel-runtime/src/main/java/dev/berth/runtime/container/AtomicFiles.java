package dev.berth.runtime.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes a file so that readers see the old contents or the new, never a partial one: temp file, then rename. */
final class AtomicFiles {
    private AtomicFiles() {}

    /** Readable by the owner only (0600), as runc writes {@code state.json}: it holds the config's environment. */
    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    /** 0644 before the umask, as a pid file is. */
    static final Set<PosixFilePermission> SHARED = PosixFilePermissions.fromString("rw-r--r--");

    /** Writes {@code file} with {@code mode}, which the new file has from its creation on (never wider). */
    static void write(Path file, String contents, Set<PosixFilePermission> mode) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(mode);
        try {
            Files.deleteIfExists(tmp); // left by a runtime killed while writing: it may have another mode
            Files.writeString(Files.createFile(tmp, attribute), contents);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failure is the one to report
            }
            throw new UncheckedIOException("write " + file, e);
        }
    }
}
