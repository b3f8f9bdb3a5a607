package dev.berth.cli.command;

import dev.berth.client.Results;
import dev.berth.client.Berth;
import dev.berth.cli.client.CliException;
import dev.berth.cli.image.ImageName;
import dev.berth.cli.image.Puller;
import dev.berth.cli.terminal.Terminal;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth pull}: berthd pulls (transfer service); the CLI prints its progress. */
@Command(name = "pull", description = "Download an image from a registry")
public final class PullCommand extends BaseCommand {
    @Option(names = "--platform", description = "os/arch[/variant]")
    String platform = "";
    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;
    @Parameters(index = "0", paramLabel = "NAME[:TAG|@DIGEST]")
    String reference;

    @Override
    int run(Berth client) {
        String name = parse(reference);
        PrintStream progress = quiet ? new PrintStream(java.io.OutputStream.nullOutputStream()) : System.out;
        List<Results.PulledImage> images = new Puller(client, progress, !quiet && Terminal.isTerminal()).pull(name, platform);
        for (Results.PulledImage image : images) {
            if (!quiet) {
                System.out.println("Digest: " + image.digest());
                System.out.println("Status: Downloaded image for " + image.name());
            }
            System.out.println(image.name());
        }
        return 0;
    }

    static String parse(String reference) {
        try {
            return ImageName.parse(reference).name();
        } catch (IllegalArgumentException e) {
            throw CliException.failed(e.getMessage());
        }
    }
}
