// Writes the OCI image archive of Debian's busybox-static that Berth ships as docker.io/library/busybox:latest.
// Run by build-busybox-archive.sh with the JDK's source launcher; JDK only, no network. Reproducible: every entry
// has the same fixed time and owner, entries are sorted, the gzip header has no time, JSON is written in a fixed
// order, so the same busybox binary gives the same bytes.

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

public class BusyboxArchive {

    static final Path BUSYBOX = Path.of("/bin/busybox");
    static final long MTIME = 1704067200L; // 2024-01-01T00:00:00Z
    static final String CREATED = "2024-01-01T00:00:00Z";
    static final String NAME = "docker.io/library/busybox:latest";
    static final String PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Applets the image must have whatever the busybox build lists. */
    static final List<String> REQUIRED = List.of("sh", "echo", "ls", "cat", "true", "false", "sleep", "id", "ps",
            "env", "hostname", "wc", "top", "mkdir", "rm");

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: BusyboxArchive OUT");
            System.exit(2);
        }
        byte[] layer = layerTar();
        byte[] layerGz = gzip(layer);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"" + CREATED + "\","
                + "\"config\":{\"Env\":[\"" + PATH + "\"],\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + sha(layer) + "\"]},"
                + "\"history\":[{\"created\":\"" + CREATED + "\",\"created_by\":\"berth: Debian busybox-static "
                + version() + "\"}]}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + desc("application/vnd.oci.image.config.v1+json", configBytes, "") + ","
                + "\"layers\":[" + desc("application/vnd.oci.image.layer.v1.tar+gzip", layerGz, "") + "]}";
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[" + desc("application/vnd.oci.image.manifest.v1+json", manifestBytes,
                ",\"annotations\":{\"io.containerd.image.name\":\"" + NAME + "\","
                        + "\"org.opencontainers.image.ref.name\":\"latest\"},"
                        + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}") + "]}";

        Tar out = new Tar();
        out.file("oci-layout", 0644, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        out.dir("blobs/", 0755);
        out.dir("blobs/sha256/", 0755);
        for (byte[] blob : List.of(configBytes, layerGz, manifestBytes)) {
            out.file("blobs/sha256/" + sha(blob).substring("sha256:".length()), 0644, blob);
        }
        out.file("index.json", 0644, index.getBytes(StandardCharsets.UTF_8));
        Path target = Path.of(args[0]);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, out.finish());
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static byte[] layerTar() throws IOException, InterruptedException {
        TreeSet<String> applets = new TreeSet<>(run(BUSYBOX.toString(), "--list").lines().map(String::strip)
                .filter(a -> !a.isEmpty() && !a.equals("busybox") && !a.contains("/")).toList());
        for (String a : REQUIRED) {
            if (!applets.contains(a)) {
                throw new IOException(BUSYBOX + " has no applet " + a);
            }
        }
        Tar t = new Tar();
        t.dir("bin/", 0755);
        t.file("bin/busybox", 0755, Files.readAllBytes(BUSYBOX));
        for (String a : applets) {
            t.symlink("bin/" + a, "busybox");
        }
        t.dir("dev/", 0755);
        t.dir("etc/", 0755);
        t.file("etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8));
        t.file("etc/passwd", 0644, ("root:x:0:0:root:/root:/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n").getBytes(StandardCharsets.UTF_8));
        t.dir("proc/", 0755);
        t.dir("root/", 0700);
        t.dir("sys/", 0755);
        t.dir("tmp/", 01777);
        t.dir("usr/", 0755);
        t.symlink("usr/bin", "../bin");
        t.dir("var/", 0755);
        return t.finish();
    }

    static String version() throws IOException, InterruptedException {
        String first = run(BUSYBOX.toString()).lines().findFirst().orElse("");
        int v = first.indexOf('v');
        return v < 0 ? "unknown" : first.substring(v).split(" ")[0];
    }

    static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", argv) + ": timed out");
        }
        return out;
    }

    static String desc(String mediaType, byte[] data, String extra) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + sha(data) + "\",\"size\":" + data.length
                + extra + "}";
    }

    static String sha(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** A ustar writer for short names: root-owned entries with the fixed time. */
    static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void dir(String name, int mode) throws IOException {
            header(name, mode, 0, '5', "");
        }

        void symlink(String name, String target) throws IOException {
            header(name, 0777, 0, '2', target);
        }

        void file(String name, int mode, byte[] data) throws IOException {
            header(name, mode, data.length, '0', "");
            out.write(data);
            out.write(new byte[(512 - data.length % 512) % 512]);
        }

        private void header(String name, int mode, long size, char type, String link) throws IOException {
            if (name.length() > 99 || link.length() > 99) {
                throw new IOException("tar: name too long: " + name);
            }
            byte[] h = new byte[512];
            put(h, 0, name);
            octal(h, 100, 8, mode);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            octal(h, 124, 12, size);
            octal(h, 136, 12, MTIME);
            for (int i = 148; i < 156; i++) {
                h[i] = ' ';
            }
            h[156] = (byte) type;
            put(h, 157, link);
            put(h, 257, "ustar");
            put(h, 263, "00");
            put(h, 265, "root");
            put(h, 297, "root");
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            String s = String.format("%06o", sum);
            put(h, 148, s);
            h[154] = 0;
            h[155] = ' ';
            out.write(h);
        }

        byte[] finish() {
            out.writeBytes(new byte[1024]);
            return out.toByteArray();
        }

        private static void put(byte[] h, int off, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, h, off, b.length);
        }

        private static void octal(byte[] h, int off, int len, long v) {
            put(h, off, String.format("%0" + (len - 1) + "o", v));
        }
    }
}
