package dev.berth.cli.command;

import dev.berth.client.Results;
import dev.berth.client.Berth;
import dev.berth.cli.client.DaemonStubs;
import dev.berth.cli.client.CliException;
import dev.berth.cli.image.ImageReader;
import dev.berth.cli.image.Puller;
import dev.berth.cli.terminal.Terminal;
import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth push}: berthd pushes a local image to the registry its name points to. */
@Command(name = "push", description = "Upload an image to a registry")
public final class PushCommand extends BaseCommand {
    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;
    @Parameters(index = "0", paramLabel = "NAME[:TAG]")
    String reference;

    @Override
    int run(Berth client) {
        DaemonStubs berth = new DaemonStubs(client);
        var image = new ImageReader(berth).find(reference)
                .orElseThrow(() -> CliException.noSuchImage(reference));
        PrintStream progress = quiet ? new PrintStream(OutputStream.nullOutputStream()) : System.out;
        for (Results.PulledImage pushed : new Puller(client, progress,
                !quiet && Terminal.isTerminal()).push(image.getName(), "")) {
            System.out.println(quiet ? pushed.name() : pushed.name() + ": digest: " + pushed.digest() + " size: "
                    + pushed.size());
        }
        return 0;
    }
}
