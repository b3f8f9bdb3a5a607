package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds a busybox root filesystem from Debian's {@code busybox-static}: the whole userland of the probes. */
public final class Rootfs {
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private static List<String> applets;

    private Rootfs() {}

    /**
     * Fills {@code rootfs} with {@code /bin/busybox}, a symlink per applet in {@code /bin}, {@code /etc/passwd} and
     * {@code /etc/group} (root, a user 1000, group tty 5), and empty {@code /proc /sys /dev /tmp /root} dirs.
     */
    public static void busybox(Path rootfs) {
        try {
            Path bin = Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            for (String applet : applets()) {
                Path link = bin.resolve(applet);
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, Path.of("busybox"));
                }
            }
            // Images commonly have /usr/bin/env & co.; a /usr/bin -> /bin link keeps PATH lookups simple.
            Files.createDirectories(rootfs.resolve("usr"));
            Files.createSymbolicLink(rootfs.resolve("usr/bin"), Path.of("../bin"));
            Files.createSymbolicLink(rootfs.resolve("sbin"), Path.of("bin"));
            Path etc = Files.createDirectories(rootfs.resolve("etc"));
            Files.writeString(etc.resolve("passwd"), """
                    root:x:0:0:root:/root:/bin/sh
                    user:x:1000:1000:user:/home/user:/bin/sh
                    nobody:x:65534:65534:nobody:/nonexistent:/bin/false
                    """);
            Files.writeString(etc.resolve("group"), """
                    root:x:0:
                    tty:x:5:
                    user:x:1000:
                    nogroup:x:65534:
                    """);
            for (String dir : List.of("proc", "sys", "dev", "root", "home/user")) {
                Files.createDirectories(rootfs.resolve(dir));
            }
            Path tmp = Files.createDirectories(rootfs.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException("build busybox rootfs " + rootfs, e);
        }
    }

    /** {@code busybox --list}, asked once per JVM: the applet set does not change while the suite runs. */
    static synchronized List<String> applets() throws IOException {
        if (applets == null) {
            Process p = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("busybox --list failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            applets = out.lines().map(String::strip).filter(s -> !s.isEmpty() && !s.equals("busybox")).toList();
        }
        return applets;
    }
}
