package dev.berth.cli.command;

import dev.berth.cli.flags.ContainerOptions;
import dev.berth.cli.flags.RunFlags;
import dev.berth.client.Attachment;
import dev.berth.client.Berth;
import dev.berth.client.Containers;
import dev.berth.client.Options;
import dev.berth.client.Waiter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code berth run}: in docker's order, create (pulling the image if missing), attach unless {@code -d}, register
 * the wait, start, copy the output, and exit with the container's status.
 */
@Command(name = "run")
public final class RunCommand extends BaseCommand {
    @Mixin
    RunFlags flags;
    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;
    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    int run(Berth berth) throws Exception {
        ContainerOptions.Spec spec = ContainerOptions.parse(flags, image, command, session.environment());
        String id = Creator.create(berth, spec, image, err);
        Runnable start = () -> {
            try {
                Attached.start(berth, id);
            } catch (RuntimeException e) {
                if (flags.rm) {
                    // docker's daemon removes an AutoRemove container whose start failed; make sure of it
                    Attached.removeQuietly(berth, id);
                }
                throw e;
            }
        };
        if (flags.detach) {
            start.run();
            out.println(id);
            return 0;
        }
        Options.Attach streams = new Options.Attach(flags.interactive, true, true, false,
                flags.detachKeys == null ? "" : flags.detachKeys);
        // attach and wait together (one round trip), both in place before the start: no output or exit is missed
        Containers.AttachedWait set = berth.containers().attachAndWait(id, streams,
                flags.rm ? "removed" : "next-exit");
        try (Attachment attachment = set.attachment()) {
            Waiter waiter = set.waiter();
            boolean detached = new Attached(berth, id, flags.tty, flags.interactive, flags.sigProxy)
                    .follow(attachment, start, System.in, out, err);
            return detached ? 0 : waiter.await(); // detached: the container runs on, as docker's run leaves it
        }
    }
}
