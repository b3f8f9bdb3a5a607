package dev.berth.manager.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A busybox root filesystem from Debian's {@code busybox-static}: /bin/busybox and a link per applet. */
final class BusyboxRootfs {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private BusyboxRootfs() {}

    static Path create(Path rootfs) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
        List<String> applets = new String(list.getInputStream().readAllBytes()).lines().map(String::strip)
                .filter(a -> !a.isEmpty() && !a.equals("busybox")).toList();
        if (!list.waitFor(10, TimeUnit.SECONDS) || list.exitValue() != 0) {
            throw new IOException("busybox --list failed");
        }
        for (String applet : applets) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Files.createDirectories(rootfs.resolve("usr"));
        Files.createSymbolicLink(rootfs.resolve("usr/bin"), Path.of("../bin"));
        for (String dir : List.of("proc", "sys", "dev", "tmp", "etc", "root")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
        return rootfs;
    }
}
