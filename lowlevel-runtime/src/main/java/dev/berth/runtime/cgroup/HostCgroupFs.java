package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The kernel's cgroupfs, reached through plain file I/O. */
final class HostCgroupFs implements CgroupFs {

    @Override
    public String read(Path file) {
        try {
            return Files.readString(file).stripTrailing();
        } catch (IOException e) {
            throw failure("read", file, e);
        }
    }

    @Override
    public void write(Path file, String value) {
        // No CREATE: a missing control file means the kernel lacks the feature, and that must be an error.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
            int n = ch.write(buf);
            if (buf.hasRemaining()) {
                throw new CgroupException("write " + file + ": short write (" + n + " bytes)");
            }
        } catch (IOException e) {
            throw failure("write", file, e);
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public void mkdir(Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw failure("mkdir", dir, e);
            }
        } catch (IOException e) {
            throw failure("mkdir", dir, e);
        }
    }

    @Override
    public void rmdir(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw failure("rmdir", dir, e);
        }
    }

    @Override
    public List<Path> subdirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw failure("list", dir, e);
        }
    }

    @Override
    public List<String> fileNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw failure("list", dir, e);
        }
    }

    /** {@code op path: reason}, with the errno text in lowercase as the kernel's strerror words it. */
    static CgroupException failure(String op, Path path, IOException e) {
        String reason = switch (e) {
            case NoSuchFileException x -> "no such file or directory";
            case AccessDeniedException x -> "permission denied";
            case FileAlreadyExistsException x -> "file exists";
            case DirectoryNotEmptyException x -> "directory not empty";
            case FileSystemException x when x.getReason() != null -> x.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
        return new CgroupException(op + " " + path + ": " + reason.toLowerCase(Locale.ROOT), e);
    }
}
