package dev.berth.cli.command;

import dev.berth.client.Attachment;
import dev.berth.client.Berth;
import dev.berth.client.Containers;
import dev.berth.client.Options;
import dev.berth.client.Waiter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth start}: starts stopped containers; {@code -a} attaches to one and exits with its status. */
@Command(name = "start")
public final class StartCommand extends BaseCommand {
    @Option(names = {"-a", "--attach"}, description = "Attach STDOUT/STDERR and forward signals")
    boolean attach;
    @Option(names = {"-i", "--interactive"}, description = "Attach container's STDIN")
    boolean interactive;
    @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container")
    String detachKeys = "";
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> refs;

    @Override
    int run(Berth berth) throws Exception {
        if (!attach && !interactive) {
            return Refs.each(refs, out, err, ref -> Attached.start(berth, ref));
        }
        if (refs.size() > 1) {
            throw dev.berth.cli.client.CliException.failed("you cannot start and attach multiple containers at once");
        }
        String ref = refs.getFirst();
        boolean tty = berth.containers().inspect(ref).path("Config").path("Tty").asBoolean();
        Containers.AttachedWait set = berth.containers().attachAndWait(ref, new Options.Attach(interactive, true,
                true, false, detachKeys), "next-exit");
        try (Attachment attachment = set.attachment()) {
            Waiter waiter = set.waiter();
            boolean detached = new Attached(berth, ref, tty, interactive, true)
                    .follow(attachment, () -> Attached.start(berth, ref), System.in, out, err);
            return detached ? 0 : waiter.await();
        }
    }
}
