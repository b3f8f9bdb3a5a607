package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.archive.LocalFiles;
import dev.berth.cli.client.CliException;
import dev.berth.client.Berth;
import dev.berth.client.DaemonException;
import dev.berth.client.Options;
import dev.berth.client.Results;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth cp}: between {@code CONTAINER:PATH} and a local path, either way, with docker's rules for what the
 * copy is called at the destination; {@code -} is a tar stream on stdin or stdout.
 */
@Command(name = "cp")
public final class CpCommand extends BaseCommand {
    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)")
    boolean archive;
    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;
    @Parameters(index = "0", paramLabel = "SRC_PATH")
    String source;
    @Parameters(index = "1", paramLabel = "DEST_PATH")
    String destination;

    /** {@code CONTAINER:PATH}, or a local path (one with a slash before any colon is local). */
    private record Location(String container, String path) {
        static Location of(String arg) {
            int colon = arg.indexOf(':');
            if (colon <= 0 || arg.startsWith("/") || arg.startsWith(".") || arg.substring(0, colon).contains("/")) {
                return new Location(null, arg);
            }
            return new Location(arg.substring(0, colon), arg.substring(colon + 1));
        }
    }

    @Override
    int run(Berth berth) throws Exception {
        Location from = Location.of(source);
        Location to = Location.of(destination);
        if ((from.container() == null) == (to.container() == null)) {
            throw CliException.failed(from.container() == null
                    ? "must specify at least one container source" : "copying between containers is not supported");
        }
        if (from.container() != null) {
            return fromContainer(berth, from, to.path());
        }
        return toContainer(berth, from.path(), to);
    }

    private int fromContainer(Berth berth, Location from, String dest) throws IOException {
        String path = from.path().isEmpty() ? "/" : from.path();
        Results.Archive a = berth.containers().copyFrom(from.container(), path);
        try (InputStream tar = a.tar()) {
            if (dest.equals("-")) {
                tar.transferTo(out);
                out.flush();
                return 0;
            }
            String top = a.stat().path("name").asText(Path.of(path).getFileName() == null ? ""
                    : Path.of(path).getFileName().toString());
            boolean sourceIsDir = (a.stat().path("mode").asLong() & (1L << 31)) != 0;
            Path target = Path.of(dest);
            boolean contentsOnly = path.endsWith("/.");
            if (Files.isDirectory(target)) {
                LocalFiles.extract(tar, top, contentsOnly ? target : target.resolve(top));
            } else if (Files.exists(target)) {
                if (sourceIsDir) {
                    throw CliException.failed("cannot copy a directory to a file: " + dest);
                }
                LocalFiles.extract(tar, top, target);
            } else {
                if (dest.endsWith("/") && !sourceIsDir) {
                    throw CliException.failed("destination directory \"" + dest + "\" does not exist");
                }
                if (target.toAbsolutePath().getParent() != null
                        && !Files.isDirectory(target.toAbsolutePath().getParent())) {
                    throw CliException.failed("destination directory \"" + target.toAbsolutePath().getParent()
                            + "\" does not exist");
                }
                LocalFiles.extract(tar, top, target);
            }
        }
        return 0;
    }

    private int toContainer(Berth berth, String src, Location to) throws Exception {
        Options.CopyTo options = new Options.CopyTo(true, archive);
        String dest = to.path().isEmpty() ? "/" : to.path();
        if (src.equals("-")) {
            berth.containers().copyTo(to.container(), dest, System.in, options);
            return 0;
        }
        Path source = Path.of(src);
        if (followLink) {
            source = source.toRealPath();
        }
        if (!Files.exists(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw CliException.failed("lstat " + source.toAbsolutePath() + ": no such file or directory");
        }
        JsonNode stat = statOrNull(berth, to.container(), dest);
        boolean destIsDir = stat != null && (stat.path("mode").asLong() & (1L << 31)) != 0;
        String top;
        String dir;
        if (destIsDir) {
            top = src.endsWith("/.") ? "" : source.toAbsolutePath().normalize().getFileName().toString();
            dir = dest;
        } else {
            if (stat != null && Files.isDirectory(source)) {
                throw CliException.failed("cannot copy a directory to a file: " + to.container() + ":" + dest);
            }
            Path d = Path.of(dest);
            top = d.getFileName() == null ? "" : d.getFileName().toString();
            dir = d.getParent() == null ? "/" : d.getParent().toString();
        }
        berth.containers().copyTo(to.container(), dir, tarOf(source, top), options);
        return 0;
    }

    private static JsonNode statOrNull(Berth berth, String container, String path) {
        try {
            return berth.containers().statPath(container, path);
        } catch (DaemonException e) {
            // the engine's "stat PATH: no such file or directory in the container" is a new file, not a missing
            // container (docker's "No such container: REF")
            if (e.notFound() && !e.getMessage().contains("No such container")) {
                return null;
            }
            throw e;
        }
    }

    /** The tar of {@code source}, written by a thread as the copy reads it. */
    private static InputStream tarOf(Path source, String top) throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream pipe = new PipedOutputStream(in);
        Thread writer = new Thread(() -> {
            try (pipe) {
                LocalFiles.archive(source, top, pipe);
            } catch (IOException e) {
                throw new UncheckedIOException("archive " + source, e);
            }
        }, "berth-cp-tar");
        writer.setDaemon(true);
        writer.start();
        return in;
    }
}
