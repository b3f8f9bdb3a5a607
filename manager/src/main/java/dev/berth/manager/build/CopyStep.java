package dev.berth.manager.build;

import dev.berth.api.errdefs.BerthException;
import dev.berth.manager.build.dockerfile.Instruction;
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

/**
 * COPY and ADD: the sources (the context's, or with {@code --from} an earlier stage's or an image's, matched by
 * glob; for ADD, a URL downloaded, and a local tar, plain or compressed, extracted) planned into a layer at the
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
        if (c.from().isEmpty()) {
            copy(c, what, Optional.empty());
            return;
        }
        String from = c.from().get();
        ImageState source = run.stage(from).isPresent() ? run.stage(from).get() : run.image(from);
        run.onView(source, root -> {
            copy(c, what, Optional.of(root));
            return null;
        });
    }

    /**
     * The step: its sources found and hashed (without the image's files, so that a cache hit mounts nothing but
     * a {@code --from} source), and on a miss the plan made against a view of the image and written as a layer.
     */
    private void copy(Instruction.Copy c, String what, Optional<Path> fromRoot) throws IOException {
        List<Path> sources = new ArrayList<>();
        List<Boolean> archives = new ArrayList<>();
        for (String s : c.sources()) {
            if (c.add() && (s.startsWith("http://") || s.startsWith("https://"))) {
                sources.add(download(s));
                archives.add(false);
            } else if (fromRoot.isPresent()) {
                for (Path p : fromSources(c, what, fromRoot.get(), s)) {
                    sources.add(p);
                    archives.add(false);
                }
            } else {
                for (Path p : run.context.sources(what, s)) {
                    Optional<Path> extracted = c.add() ? extract(p) : Optional.empty();
                    sources.add(extracted.orElse(p));
                    archives.add(extracted.isPresent());
                }
            }
        }
        if (sources.isEmpty()) {
            throw BerthException.invalidArgument(what + " failed: no source files were specified: "
                    + String.join(" ", c.sources()) + " matched nothing in " + c.from().orElse("the context"));
        }
        if (sources.size() > 1 && !c.destination().endsWith("/")) {
            throw BerthException.invalidArgument("When using " + what + " with more than one source file, the "
                    + "destination must be a directory and end with a /");
        }
        Optional<Integer> chmod = c.chmod().map(m -> {
            try {
                return Integer.parseInt(m, 8);
            } catch (NumberFormatException e) {
                throw BerthException.invalidArgument(what + " --chmod=" + m + ": not an octal mode");
            }
        });
        // the sources as they are (owners and modes kept): --chown and --chmod are part of the key
        CopyPlan sourcePlan = new CopyPlan(new CopyPlan.Owner(0, 0, true), Optional.empty(), Optional.empty());
        for (int i = 0; i < sources.size(); i++) {
            Path s = sources.get(i);
            sourcePlan.add(s, Files.isDirectory(s, LinkOption.NOFOLLOW_LINKS) ? Integer.toString(i)
                    : i + "/" + s.getFileName(), false, true);
        }
        String createdBy = CreatedBy.nopOneSpace(stage.shell(), what + " " + sourcePlan.hash() + " in "
                + c.destination() + " ");
        String key = c.chown().orElse("") + "\n" + c.chmod().orElse("") + "\n" + c.from().orElse("");
        stage.layerStep(createdBy, () -> run.onView(stage.image(), dest -> {
            CopyPlan plan = plan(c, dest, sources, archives, chmod, fromRoot.isPresent());
            return Optional.of(run.differ.write(run.writer.content(), stage.image().layerMediaType(), plan::write));
        }), key);
    }

    /** A {@code --from} source: a path, or a glob matched in the source's root; none when the glob matches none. */
    private static List<Path> fromSources(Instruction.Copy c, String what, Path root, String source)
            throws IOException {
        List<String> parts = InRoot.clean(source);
        if (PathGlob.hasWildcards(String.join("/", parts))) {
            List<Path> out = new ArrayList<>();
            for (String match : PathGlob.expand(root, parts)) {
                InRoot.resolve(root, match, true).ifPresent(out::add);
            }
            return out;
        }
        return List.of(InRoot.resolve(root, source, true).orElseThrow(() -> BerthException.invalidArgument(
                what + " failed: stat " + source + ": file does not exist in " + c.from().get())));
    }

    /** The layer's plan: the sources at the destination in the image whose files are at {@code dest}. */
    private CopyPlan plan(Instruction.Copy c, Path dest, List<Path> sources, List<Boolean> archives,
                          Optional<Integer> chmod, boolean keepOwners) throws IOException {
        String workdir = stage.image().process().path("WorkingDir").asText("");
        String destination = c.destination();
        String absolute = destination.startsWith("/") ? destination
                : (workdir.isEmpty() ? "/" : workdir) + "/" + destination;
        String destName = String.join("/", InRoot.clean(absolute));
        Optional<Path> existing = InRoot.resolve(dest, destName, true);
        boolean destIsDir = destination.endsWith("/") || destination.equals(".") || destination.endsWith("/.")
                || existing.map(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).orElse(false);
        CopyPlan.Owner owner = c.chown().isPresent() ? owner(dest, c.chown().get()) : new CopyPlan.Owner(0, 0, true);
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
            plan.add(s, target, false, archives.get(i) || keepOwners);
        }
        return plan;
    }

    /** ADD of a local archive (a tar, plain or compressed): extracted with its owners into the work directory. */
    private Optional<Path> extract(Path file) throws IOException {
        Optional<InputStream> archive = LocalArchive.open(file);
        if (archive.isEmpty()) {
            return Optional.empty();
        }
        Path dir = Files.createDirectories(run.work.resolve("archives").resolve(BuildRun.random()));
        try (InputStream in = archive.get()) {
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
