package dev.berth.shim.server;

import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.sys.Syscalls;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.process.EngineChoice;
import dev.berth.shim.process.Monitors;
import dev.berth.shim.process.RootfsMount;
import dev.berth.shim.process.Timestamps;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code delete}: cleans up after a shim that died. Removes the container through the engine it used (forcibly),
 * unmounts {@code <bundle>/rootfs} and prints a {@code DeleteResponse} (killed: status 137, now) as protobuf bytes.
 */
final class DeleteCommand {
    private static final int SIGKILL_STATUS = 128 + 9;

    private final Syscalls sys;
    private final ShimSettings settings;

    DeleteCommand(Syscalls sys, ShimSettings settings) {
        this.sys = sys;
        this.settings = settings;
    }

    int run(ShimFlags flags, PrintStream out, PrintStream err) throws IOException {
        Path bundle = flags.bundleDir();
        RuntimeEngine engine = new Engines(sys, settings, flags.runtimeRoot())
                .engine(EngineChoice.load(bundle), bundle);
        try {
            engine.delete(flags.id(), true);
        } catch (EngineException e) {
            if (e.kind() != EngineException.Kind.NOT_FOUND) {
                err.println("delete " + flags.id() + ": " + e.getMessage());
            }
        }
        RootfsMount.unmountIfMounted(sys, bundle.resolve("rootfs"));
        try {
            ShimGroup group = ShimGroup.of(bundle, flags.namespace(), flags.id(), settings.environment());
            Path socket = flags.socketPath(group);
            new Monitors(sys, sys, settings.monitorBinary(), socket.resolveSibling(socket.getFileName() + ".m"))
                    .release(flags.id());
        } catch (IOException | IllegalArgumentException e) {
            err.println("delete " + flags.id() + ": monitor: " + e.getMessage());
        }
        out.write(DeleteResponse.newBuilder().setExitStatus(SIGKILL_STATUS).setExitedAt(Timestamps.of(Instant.now()))
                .build().toByteArray());
        out.flush();
        return 0;
    }
}
