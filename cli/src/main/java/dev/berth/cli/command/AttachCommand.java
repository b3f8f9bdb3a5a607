package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.Attachment;
import dev.berth.client.Berth;
import dev.berth.client.Options;
import dev.berth.client.Waiter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth attach}: the running container's streams here until it exits; its exit status. */
@Command(name = "attach")
public final class AttachCommand extends BaseCommand {
    @Option(names = "--no-stdin", description = "Do not attach STDIN")
    boolean noStdin;
    @Option(names = "--sig-proxy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Proxy all received signals to the process (default true)")
    boolean sigProxy;
    @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container")
    String detachKeys = "";
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String ref;

    @Override
    int run(Berth berth) throws Exception {
        JsonNode c = berth.containers().inspect(ref);
        if (!c.path("State").path("Running").asBoolean()) {
            throw dev.berth.cli.client.CliException.failed("You cannot attach to a stopped container, start it first");
        }
        boolean stdin = !noStdin && c.path("Config").path("OpenStdin").asBoolean();
        boolean tty = c.path("Config").path("Tty").asBoolean();
        try (Attachment attachment = berth.containers().attach(ref, new Options.Attach(stdin, true, true, false,
                detachKeys))) {
            Waiter waiter = berth.containers().waitFor(ref, "not-running");
            if (new Attached(berth, ref, tty, stdin, sigProxy).follow(attachment, () -> { }, System.in, out, err)) {
                throw Attached.escaped();
            }
            return waiter.await();
        }
    }
}
