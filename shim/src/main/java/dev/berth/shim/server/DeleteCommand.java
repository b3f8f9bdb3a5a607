package dev.berth.shim.server;

import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.sys.Syscalls;
import dev.berth.shim.engine.EngineException;
import dev.berth.shim.engine.RuntimeEngine;
import dev.berth.shim.process.EngineChoice;
import dev.berth.shim.process.Monitors;
import dev.berth.shim.process.RootfsMount;
import dev.berth.shim.process.Timestamps;
import dev.berth.shim.process.Reaper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code delete}: cleans up after a shim that died. Removes the container through the engine it used (forcibly),
 * unmounts {@code <bundle>/rootfs} and prints a {@code DeleteResponse} as protobuf bytes: the init's exit that its
 * monitor wrote into the bundle ({@link Monitors#EXIT_FILE}) if it exited; else status 137 now, as containerd's runc
 * shim's delete always reports (whether it killed a process or found none).
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
        int pid = 0;
        try {
            pid = engine.state(flags.id()).pid();
        } catch (EngineException e) {
            // no runtime state: nothing runs that the delete below would kill
        }
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
        DeleteResponse.Builder response = DeleteResponse.newBuilder().setPid(pid)
                .setExitStatus(SIGKILL_STATUS).setExitedAt(Timestamps.of(Instant.now()));
        recordedExit(bundle, err).ifPresent(e -> response.setExitStatus(e.status())
                .setExitedAt(Timestamps.of(e.exitedAt())));
        out.write(response.build().toByteArray());
        out.flush();
        return 0;
    }

    /** The init's exit from the monitor's exit file: {@code <wait status> <seconds> <nanoseconds>}. */
    private static Optional<Reaper.Exit> recordedExit(Path bundle, PrintStream err) {
        Path file = bundle.resolve(Monitors.EXIT_FILE);
        try {
            String[] f = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
            int waitStatus = Integer.parseInt(f[0]);
            Instant at = Instant.ofEpochSecond(Long.parseLong(f[1]), Long.parseLong(f[2]));
            int signal = waitStatus & 0x7f;
            return Optional.of(signal != 0 ? new Reaper.Exit(0, 0, signal, at)
                    : new Reaper.Exit(0, (waitStatus >> 8) & 0xff, 0, at));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            err.println("delete: read " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
