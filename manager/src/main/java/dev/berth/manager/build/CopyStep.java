package dev.berth.manager.build;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.build.dockerfile.Instruction;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * COPY and ADD: the sources (the context's, matched by glob; an earlier stage's or an image's with
 * {@code --from}; for ADD, a URL downloaded, and a local tar or tar.gz extracted) planned into a layer at the
 * destination (relative to WORKDIR; a directory when it ends in {@code /}, exists as one, or several sources are
 * given), owned by root or {@code --chown} (names looked up in the image's {@code /etc/passwd} and
 * {@code /etc/group}).
 */
final class CopyStep {
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

    private final BuildRun run;
    private final StageBuild stage;

    CopyStep(BuildRun run, StageBuild stage) {
        this.run = run;
        this.stage = stage;
    }

    void copy(Instruction.Copy c) throws IOException {
        String what = c.add() ? "ADD" : "COPY";
        if (c.sources().isEmpty()) {
            throw BerthException.invalidArgument(what + " on line " + c.line() + ": requires at least two "
                    + "arguments");
        }
        ImageState image = stage.image();
        run.onView(image, dest -> {
            if (c.from().isEmpty()) {
                copy(c, what, dest, Optional.empty());
                return null;
            }
            String from = c.from().get();
            ImageState source = run.stage(from).isPresent() ? run.stage(from).get() : run.image(from);
            return run.onView(source, root -> {
                copy(c, what, dest, Optional.of(root));
                return null;
            });
        });
    }

    private void copy(Instruction.Copy c, String what, Path dest, Optional<Path> fromRoot) throws IOException {
        String workdir = stage.image().process().path("WorkingDir").asText("");
        String destination = c.destination();
        String absolute = destination.startsWith("/") ? destination
                : (workdir.isEmpty() ? "/" : workdir) + "/" + destination;
        List<String> destParts = InRoot.clean(absolute);
        String destName = String.join("/", destParts);
        Optional<Path> existing = InRoot.resolve(dest, destName, true);
        boolean destIsDir = destination.endsWith("/") || destination.equals(".") || destination.endsWith("/.")
                || existing.map(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).orElse(false);
        List<Path> sources = new ArrayList<>();
        List<Boolean> archives = new ArrayList<>();
        for (String s : c.sources()) {
            if (c.add() && (s.startsWith("http://") || s.startsWith("https://"))) {
                sources.add(download(s));
                archives.add(false);
            } else if (fromRoot.isPresent()) {
                sources.add(InRoot.resolve(fromRoot.get(), s, true).orElseThrow(() -> BerthException.invalidArgument(
                        what + " failed: stat " + s + ": file does not exist in " + c.from().get())));
                archives.add(false);
            } else {
                for (Path p : run.context.sources(what, s)) {
                    Optional<Path> extracted = c.add() ? extract(p) : Optional.empty();
                    sources.add(extracted.orElse(p));
                    archives.add(extracted.isPresent());
                }
            }
        }
        if (sources.size() > 1 && !destination.endsWith("/")) {
            throw BerthException.invalidArgument("When using " + what + " with more than one source file, the "
                    + "destination must be a directory and end with a /");
        }
        CopyPlan.Owner owner = c.chown().isPresent() ? owner(dest, c.chown().get()) : new CopyPlan.Owner(0, 0, true);
        Optional<Integer> chmod = c.chmod().map(m -> {
            try {
                return Integer.parseInt(m, 8);
            } catch (NumberFormatException e) {
                throw BerthException.invalidArgument(what + " --chmod=" + m + ": not an octal mode");
            }
        });
        CopyPlan plan = new CopyPlan(owner, chmod, run.epoch);
        for (int i = 0; i < sources.size(); i++) {
            Path s = sources.get(i);
            boolean dir = Files.isDirectory(s, LinkOption.NOFOLLOW_LINKS);
            String target = dir || !destIsDir ? destName
                    : destName.isEmpty() ? s.getFileName().toString() : destName + "/" + s.getFileName();
            List<String> parts = InRoot.clean(target);
            int parents = dir ? parts.size() : parts.size() - 1;
            for (int k = 1; k <= parents; k++) {
                String prefix = String.join("/", parts.subList(0, k));
                if (InRoot.resolve(dest, prefix, true).isEmpty()) {
                    plan.directory(prefix);
                }
            }
            plan.add(s, target, false, archives.get(i) || fromRoot.isPresent());
        }
        String hash = plan.hash();
        String createdBy = CreatedBy.nopOneSpace(stage.shell(), what + " " + hash + " in " + destination + " ");
        String key = c.chown().orElse("") + "\n" + c.chmod().orElse("") + "\n" + c.from().orElse("");
        stage.layerStep(createdBy, () -> run.differ.write(run.writer.content(), stage.image().layerMediaType(),
                plan::write), key);
    }

    /** ADD of a local tar (plain or gzip): extracted with its owners into the build's work directory. */
    private Optional<Path> extract(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        }
        boolean gzip = head.length > 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        boolean tar = head.length == 512 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII)
                .equals("ustar");
        if (!gzip && !tar) {
            return Optional.empty();
        }
        Path dir = Files.createDirectories(run.work.resolve("archives").resolve(BuildRun.random()));
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
            BuildContext.extract(in, dir, true);
        }
        return Optional.of(dir);
    }

    /** ADD of a URL: the file, named by the URL's last path component, mode 0600, mtime from Last-Modified. */
    private Path download(String url) throws IOException {
        URI uri = URI.create(url);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        Path dir = Files.createDirectories(run.work.resolve("downloads").resolve(BuildRun.random()));
        Path file = dir.resolve(name.isEmpty() ? "index.html" : name);
        try (HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<Path> r = http.send(HttpRequest.newBuilder(uri).timeout(DOWNLOAD_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofFile(file));
            if (r.statusCode() / 100 != 2) {
                throw BerthException.invalidArgument("ADD failed: download " + url + ": HTTP " + r.statusCode());
            }
            Files.setAttribute(file, "unix:mode", 0600);
            Optional<String> modified = r.headers().firstValue("Last-Modified");
            if (modified.isPresent()) {
                Files.setLastModifiedTime(file, FileTime.from(ZonedDateTime.parse(modified.get(),
                        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("ADD failed: download " + url + ": interrupted", e);
        }
        return file;
    }

    /** {@code --chown=user[:group]}: numbers, or names in the image's passwd and group files. */
    private static CopyPlan.Owner owner(Path root, String spec) throws IOException {
        int colon = spec.indexOf(':');
        String user = colon < 0 ? spec : spec.substring(0, colon);
        String group = colon < 0 ? user : spec.substring(colon + 1);
        int uid = id(root, "/etc/passwd", user, spec);
        int gid = colon < 0 && user.matches("\\d+") ? uid : id(root, "/etc/group", group, spec);
        return new CopyPlan.Owner(uid, gid, false);
    }

    private static int id(Path root, String file, String name, String spec) throws IOException {
        if (name.matches("\\d+")) {
            return Integer.parseInt(name);
        }
        Optional<Path> p = InRoot.resolve(root, file, true);
        if (p.isPresent() && Files.isRegularFile(p.get())) {
            for (String line : Files.readAllLines(p.get())) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[0].equals(name) && f[2].matches("\\d+")) {
                    return Integer.parseInt(f[2]);
                }
            }
        }
        throw BerthException.invalidArgument("--chown=" + spec + ": unable to find " + (file.endsWith("passwd")
                ? "user " : "group ") + name + ": no matching entries in " + file.substring(5) + " file");
    }
}
