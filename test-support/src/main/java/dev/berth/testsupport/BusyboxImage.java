package dev.berth.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The busybox image of every test, benchmark and the main job, built without network from Debian's
 * {@code busybox-static}: one layer with {@code /bin/busybox} and a symlink to it per applet it lists,
 * {@code /etc/passwd} and {@code /etc/group} (root, user 1000, nobody), {@code /tmp} (1777), {@code /usr/bin} a
 * link to {@code /bin}, and the usual empty directories; {@code Cmd ["sh"]}. Every byte is deterministic: the same
 * busybox binary gives the same digests.
 *
 * <p>{@code scripts/build-busybox-archive.sh} runs it from source with the JDK alone ({@code BusyboxImage OUT
 * [NAME]}), so this class and what it uses depend on nothing but the JDK.
 */
public final class BusyboxImage {
    public static final Path BINARY = Path.of("/bin/busybox");
    /** The name the main job's archive gives the image (Docker Hub's, so {@code berth run busybox} finds it). */
    public static final String DEFAULT_NAME = "docker.io/library/busybox:latest";
    /** Applets the image must have, whatever the busybox build lists. */
    public static final List<String> REQUIRED_APPLETS = List.of("sh", "echo", "true", "false", "sleep", "ls", "cat",
            "id", "hostname", "ps", "stat", "env", "top", "wc", "mkdir", "rm");

    private BusyboxImage() {}

    /** {@code BusyboxImage OUT [NAME]}: writes the OCI archive of the image named NAME (default {@link #DEFAULT_NAME}). */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: BusyboxImage OUT [NAME]");
            System.exit(2);
        }
        writeArchive(args.length == 2 ? args[1] : DEFAULT_NAME, Path.of(args[0]));
    }

    /**
     * Writes the image as an OCI archive at {@code target} (replaced atomically), named {@code name} for containerd
     * and {@code berth load} ({@code io.containerd.image.name}) and by its tag for OCI tools
     * ({@code org.opencontainers.image.ref.name}).
     */
    public static void writeArchive(String name, Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        try (TempDir work = TempDir.createIn(absolute.getParent(), ".busybox-image-")) {
            OciLayout layout = OciLayout.create(work.path().resolve("layout"));
            String arch = OciLayout.goArch();
            OciLayout.Image image = layout.addImage(arch, List.of(layout.addLayer(BusyboxImage::layer)));
            String tag = name.substring(name.lastIndexOf(':') + 1);
            layout.tag(image, arch, Map.of(OciLayout.CONTAINERD_NAME, name,
                    OciLayout.REF_NAME, tag.contains("/") ? "latest" : tag));
            Path tmp = work.path().resolve("archive.tar");
            layout.writeArchive(tmp);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Writes the busybox layer's entries. */
    public static void layer(TarWriter tar) throws IOException {
        tar.directory("bin", 0755);
        tar.file("bin/busybox", 0755, Files.readAllBytes(BINARY));
        for (String applet : applets()) {
            tar.symlink("bin/" + applet, "busybox");
        }
        tar.directory("dev", 0755);
        tar.directory("etc", 0755);
        tar.file("etc/group", 0644, text("""
                root:x:0:
                user:x:1000:
                nogroup:x:65534:
                """));
        tar.file("etc/passwd", 0644, text("""
                root:x:0:0:root:/root:/bin/sh
                user:x:1000:1000:user:/home/user:/bin/sh
                nobody:x:65534:65534:nobody:/nonexistent:/bin/false
                """));
        tar.directory("proc", 0755);
        tar.directory("root", 0700);
        tar.directory("sys", 0755);
        tar.directory("tmp", 01777);
        tar.directory("usr", 0755);
        tar.symlink("usr/bin", "../bin");
        tar.directory("var", 0755);
    }

    /** What {@code busybox --list} names, sorted; an IOException if one of {@link #REQUIRED_APPLETS} is missing. */
    static TreeSet<String> applets() throws IOException {
        Process p = new ProcessBuilder(BINARY.toString(), "--list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(BINARY + " --list failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + BINARY + " --list", e);
        }
        TreeSet<String> applets = new TreeSet<>(out.lines().map(String::strip)
                .filter(a -> !a.isEmpty() && !a.equals("busybox") && !a.contains("/")).toList());
        for (String required : REQUIRED_APPLETS) {
            if (!applets.contains(required)) {
                throw new IOException(BINARY + " has no applet " + required);
            }
        }
        return applets;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
