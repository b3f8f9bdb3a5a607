package dev.berth.cli.command;

import dev.berth.api.services.transfer.v1.ExportChunk;
import dev.berth.api.services.transfer.v1.ExportRequest;
import dev.berth.client.Berth;
import dev.berth.cli.client.DaemonStubs;
import dev.berth.cli.client.CliException;
import dev.berth.cli.image.ImageReader;
import dev.berth.cli.terminal.Terminal;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth save}: an OCI image layout or {@code docker save} archive of images, streamed by berthd. */
@Command(name = "save", description = "Save one or more images to a tar archive (streamed to STDOUT by default)")
public final class SaveCommand extends BaseCommand {
    @Option(names = {"-o", "--output"}, description = "Write to a file, instead of STDOUT")
    Path output;
    @Option(names = "--format", description = "oci (default) or docker")
    String format = "oci";
    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    int run(Berth client) throws Exception {
        DaemonStubs berth = new DaemonStubs(client);
        if (!format.equals("oci") && !format.equals("docker")) {
            throw CliException.failed("invalid --format " + format + ": oci or docker");
        }
        if (output == null && Terminal.isTerminal()) {
            throw CliException.failed("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }
        ImageReader reader = new ImageReader(berth);
        ExportRequest.Builder req = ExportRequest.newBuilder().setFormat(format);
        for (String ref : images) {
            req.addImages(reader.find(ref).orElseThrow(() -> CliException.noSuchImage(ref)).getName());
        }
        Path tmp = output == null ? null : output.resolveSibling(output.getFileName() + ".part");
        try (OutputStream out = tmp == null ? System.out : Files.newOutputStream(tmp)) {
            Iterator<ExportChunk> chunks = berth.transfer().export(req.build());
            while (chunks.hasNext()) {
                chunks.next().getData().writeTo(out);
            }
        } catch (RuntimeException e) {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
            throw e;
        }
        if (tmp != null) {
            Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return 0;
    }
}
