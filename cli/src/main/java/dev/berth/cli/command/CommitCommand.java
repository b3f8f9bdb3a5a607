package dev.berth.cli.command;

import dev.berth.api.services.transfer.v1.CommitRequest;
import dev.berth.api.services.transfer.v1.CommitResponse;
import dev.berth.client.Berth;
import dev.berth.cli.client.DaemonStubs;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth commit}: berthd turns the container's changes into a new image. */
@Command(name = "commit", description = "Create a new image from a container's changes")
public final class CommitCommand extends BaseCommand {
    @Option(names = {"-c", "--change"}, description = "Apply Dockerfile instruction to the created image")
    List<String> changes = new ArrayList<>();
    @Option(names = {"-m", "--message"}, description = "Commit message")
    String message = "";
    @Option(names = {"-a", "--author"}, description = "Author")
    String author = "";
    @Option(names = {"-p", "--pause"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Pause container during commit (default true)")
    boolean pause;
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String ref;
    @Parameters(index = "1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    @Override
    int run(Berth client) {
        DaemonStubs berth = new DaemonStubs(client);
        String id = client.containers().inspect(ref).path("Id").asText();
        CommitResponse r = berth.transfer().commit(CommitRequest.newBuilder().setContainerId(id)
                .setReference(PullCommand.parse(reference)).setAuthor(author).setComment(message)
                .addAllChanges(changes).setPause(pause).build());
        System.out.println(r.getImage().getTarget().getDigest());
        return 0;
    }
}
