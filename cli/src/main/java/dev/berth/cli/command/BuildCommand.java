package dev.berth.cli.command;

import dev.berth.cli.archive.LocalFiles;
import dev.berth.client.Berth;
import dev.berth.client.Options;
import dev.berth.model.build.DockerIgnore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth build}: the context directory tarred with its {@code .dockerignore} applied (or a tar, or a lone
 * Dockerfile, read from STDIN with {@code -}) and built by berthd, whose classic docker output is printed as it
 * comes.
 */
@Command(name = "build", description = "Build an image from a Dockerfile")
public final class BuildCommand extends BaseCommand {
    @Option(names = {"-f", "--file"}, description = "Name of the Dockerfile (default: PATH/Dockerfile; - for STDIN)")
    String file;
    @Option(names = {"-t", "--tag"}, description = "Name and optionally a tag in the 'name:tag' format")
    List<String> tags = new ArrayList<>();
    @Option(names = "--target", description = "Set the target build stage to build")
    String target = "";
    @Option(names = "--no-cache", description = "Do not use cache when building the image")
    boolean noCache;
    @Option(names = "--pull", description = "Always attempt to pull a newer version of the image")
    boolean pull;
    @Option(names = "--label", description = "Set metadata for an image")
    List<String> labels = new ArrayList<>();
    @Option(names = "--build-arg", description = "Set build-time variables")
    List<String> buildArgs = new ArrayList<>();
    @Option(names = "--iidfile", description = "Write the image ID to the file")
    Path iidfile;
    @Option(names = {"-q", "--quiet"}, description = "Suppress the build output and print image ID on success")
    boolean quiet;
    @Option(names = "--network", description = "Set the networking mode for the RUN instructions during build")
    String network = "";
    @Parameters(index = "0", paramLabel = "PATH | -")
    String context;

    @Override
    int run(Berth berth) throws Exception {
        Optional<String> dockerfileText = Optional.empty();
        String dockerfile = "";
        InputStream tar;
        if (context.equals("-")) {
            byte[] stdin = System.in.readAllBytes();
            if (isGzip(stdin)) {
                stdin = new GZIPInputStream(new ByteArrayInputStream(stdin)).readAllBytes();
            }
            if (isTar(stdin)) {
                tar = new ByteArrayInputStream(stdin);
                dockerfile = file == null ? "" : file;
            } else {
                dockerfileText = Optional.of(new String(stdin, StandardCharsets.UTF_8));
                tar = InputStream.nullInputStream();
            }
        } else {
            Path dir = Path.of(context);
            if (!Files.isDirectory(dir)) {
                err.println("unable to prepare context: path \"" + context + "\" not found");
                return 1;
            }
            if ("-".equals(file)) {
                dockerfileText = Optional.of(new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
            } else if (file != null) {
                Path f = Path.of(file).toAbsolutePath().normalize();
                Path root = dir.toAbsolutePath().normalize();
                if (f.startsWith(root)) {
                    dockerfile = root.relativize(f).toString();
                } else {
                    dockerfileText = Optional.of(Files.readString(f));
                }
            }
            tar = contextTar(dir, dockerfile.isEmpty() ? "Dockerfile" : dockerfile);
        }
        String id = berth.builds().build(new Options.Build(dockerfile, dockerfileText, tags, target, noCache, pull,
                pairs(labels, false), pairs(buildArgs, true), quiet, network), tar, text -> {
                    out.print(text);
                    out.flush();
                });
        if (quiet) {
            out.println(id);
        }
        if (iidfile != null) {
            Files.writeString(iidfile, id);
        }
        return 0;
    }

    /** The context as a tar stream, written by a thread of its own; the Dockerfile and .dockerignore always go. */
    private static InputStream contextTar(Path dir, String dockerfile) throws IOException {
        Path ignoreFile = dir.resolve(".dockerignore");
        DockerIgnore ignore = DockerIgnore.parse(Files.isRegularFile(ignoreFile) ? Files.readString(ignoreFile) : "");
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream pipe = new PipedOutputStream(in);
        Thread.ofPlatform().daemon().name("build-context").start(() -> {
            try (pipe) {
                LocalFiles.archive(dir, "", pipe, rel -> rel.equals(dockerfile) || rel.equals(".dockerignore")
                        || !ignore.excludes(rel));
            } catch (IOException e) {
                throw new UncheckedIOException("build: archive the context " + dir, e);
            }
        });
        return in;
    }

    /** {@code k=v} pairs; a build arg without {@code =} takes its value from the environment (docker's rule). */
    private static Map<String, String> pairs(List<String> values, boolean fromEnv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq > 0) {
                out.put(v.substring(0, eq), v.substring(eq + 1));
            } else if (!fromEnv) {
                out.put(v, "");
            } else if (System.getenv(v) != null) {
                out.put(v, System.getenv(v));
            }
        }
        if (fromEnv && !out.containsKey("SOURCE_DATE_EPOCH") && System.getenv("SOURCE_DATE_EPOCH") != null) {
            out.put("SOURCE_DATE_EPOCH", System.getenv("SOURCE_DATE_EPOCH"));
        }
        return out;
    }

    private static boolean isGzip(byte[] b) {
        return b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    private static boolean isTar(byte[] b) {
        return b.length >= 512 && new String(b, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }
}
