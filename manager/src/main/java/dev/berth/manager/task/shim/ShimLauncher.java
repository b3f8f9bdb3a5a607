package dev.berth.manager.task.shim;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.api.runtime.task.v2.DeleteResponse;
import dev.berth.log.Log;
import dev.berth.sys.FdSyscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a shim binary's {@code start} and {@code delete} verbs as containerd does ({@code core/runtime/v2/binary.go}):
 * the only code that builds a shim's command line. Each run is bounded by the configured timeout; a run that fails
 * is reported with the shim's stderr.
 */
public final class ShimLauncher {
    private static final Log LOG = Log.of(ShimLauncher.class);
    private static final String UNIX = "unix://";
    /** How long to wait for the output pipes to reach end of file once the verb exited. */
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final ShimLauncherConfig config;
    private final FdSyscalls sys;

    public ShimLauncher(ShimLauncherConfig config, FdSyscalls sys) {
        this.config = config;
        this.sys = sys;
    }

    /** A shim that {@code start} launched or found: its ttrpc address and the reader of its log FIFO. */
    public record Started(String address, ShimLog log) {}

    /**
     * Writes the binary to {@code <bundle>/shim-binary-path}, runs {@code start} in the bundle with the runtime
     * options on stdin (nothing when empty), reads the printed address, and writes it to {@code <bundle>/address}.
     * The bundle's {@code log} FIFO is opened first (a Go shim blocks until it has a reader) and handed back.
     *
     * @throws BerthException NOT_FOUND if the binary cannot be run, DEADLINE_EXCEEDED past the timeout, INTERNAL
     *     if it fails or prints no unix socket address
     */
    public Started start(ShimCall call, Optional<Any> options) throws IOException {
        ShimLog log = prepare(call);
        try {
            return new Started(runStart(call, options.map(Any::toByteArray).orElse(new byte[0])), log);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Prepares the bundle for a shim server already known to serve the task's group at {@code address} (its
     * Connect said so, {@code manager.task.GroupServers}): no verb runs; the binary and the address are written as
     * {@link #start} writes them. The server writes nothing to this task's log ({@link ShimLog#none}). If the
     * server turns out gone, the caller runs {@link #start} instead.
     */
    public Started join(ShimCall call, String address) throws IOException {
        socketPath(address);
        Files.writeString(call.bundle().resolve("shim-binary-path"), call.binary().toString(),
                StandardCharsets.UTF_8);
        Files.writeString(call.bundle().resolve("address"), address, StandardCharsets.UTF_8);
        return new Started(address, ShimLog.none());
    }

    private ShimLog prepare(ShimCall call) throws IOException {
        // before the shim exists, as containerd keeps its bundle first: a berthd killed while start runs leaves a
        // bundle whose next recovery knows which binary's delete verb to run and can ask the shim to exit
        Files.writeString(call.bundle().resolve("shim-binary-path"), call.binary().toString(),
                StandardCharsets.UTF_8);
        return ShimLog.open(sys, call.bundle(), call.namespace(), call.id());
    }

    /**
     * Runs {@code start} again for a live task whose shim's connection broke, as for a new task of its group: a
     * berth-shim group gets a new server, which takes over the group's containers from their monitors; another
     * shim starts one that does not know the task. The bundle's log FIFO is read already (the task's {@link
     * ShimLog}); no runtime options go on stdin (Create carried them). Errors as {@link #start}.
     *
     * @return the address printed, also written to {@code <bundle>/address}
     */
    public String restart(ShimCall call) throws IOException {
        return runStart(call, new byte[0]);
    }

    private String runStart(ShimCall call, byte[] options) throws IOException {
        Output out = run(call, "start", startArgv(call), options);
        String address = new String(out.stdout(), StandardCharsets.UTF_8).strip();
        if (!address.startsWith(UNIX) || address.length() == UNIX.length()) {
            throw BerthException.internal("start shim " + call.id() + ": " + call.binary()
                    + " printed no unix socket address: \"" + address + "\"" + stderr(out));
        }
        socketPath(address); // fail now on an address this JVM cannot reach
        Files.writeString(call.bundle().resolve("address"), address, StandardCharsets.UTF_8);
        LOG.info("shim started", "namespace", call.namespace(), "id", call.id(), "shim_binary", call.binary(),
                "address", address);
        return address;
    }

    /**
     * Runs {@code delete} in the bundle after its shim died: the shim removes the container forcibly and unmounts
     * the rootfs, and reports how the task ended (containerd's shims report SIGKILL, status 137).
     *
     * @throws BerthException as {@link #start}, and INTERNAL if the output is no {@code DeleteResponse}
     */
    public ProcessExit delete(ShimCall call) throws IOException {
        Output out = run(call, "delete", deleteArgv(call), new byte[0]);
        if (out.stderr().length > 0) {
            LOG.debug("shim delete verb wrote to stderr", "namespace", call.namespace(), "id", call.id(), "stderr",
                    new String(out.stderr(), StandardCharsets.UTF_8).strip());
        }
        try {
            DeleteResponse r = DeleteResponse.parseFrom(out.stdout());
            return new ProcessExit(r.getPid(), r.getExitStatus(),
                    Instant.ofEpochSecond(r.getExitedAt().getSeconds(), r.getExitedAt().getNanos()));
        } catch (InvalidProtocolBufferException e) {
            throw BerthException.internal("delete shim " + call.id() + ": " + call.binary()
                    + " printed no DeleteResponse: " + e.getMessage());
        }
    }

    /** The socket path of a {@code unix://} address a shim printed. */
    public static Path socketPath(String address) {
        if (!address.startsWith(UNIX)) {
            throw BerthException.invalidArgument("shim address " + address + ": not a unix:// address");
        }
        String path = address.substring(UNIX.length());
        if (path.startsWith("@") || !path.startsWith("/")) {
            throw BerthException.invalidArgument("shim address " + address + ": not an absolute socket path");
        }
        return Path.of(path);
    }

    List<String> startArgv(ShimCall call) {
        List<String> argv = commonArgv(call);
        argv.addAll(List.of("-id", call.id()));
        if (config.debug()) {
            argv.add("-debug");
        }
        argv.add("start");
        return argv;
    }

    List<String> deleteArgv(ShimCall call) {
        List<String> argv = commonArgv(call);
        argv.addAll(List.of("-id", call.id(), "-bundle", call.bundle().toString()));
        if (config.debug()) {
            argv.add("-debug");
        }
        argv.add("delete");
        return argv;
    }

    private List<String> commonArgv(ShimCall call) {
        return new ArrayList<>(List.of(call.binary().toString(), "-namespace", call.namespace(),
                "-address", config.grpcAddress().toString(), "-publish-binary", config.publishBinary().toString()));
    }

    /** What a shim verb gets besides berthd's own environment, as containerd sets it. */
    Map<String, String> environment(ShimCall call) {
        return Map.of("TTRPC_ADDRESS", config.ttrpcAddress().toString(),
                "GRPC_ADDRESS", config.grpcAddress().toString(),
                "NAMESPACE", call.namespace());
    }

    private record Output(int status, byte[] stdout, byte[] stderr) {}

    private Output run(ShimCall call, String verb, List<String> argv, byte[] stdin) throws IOException {
        String what = verb + " shim " + call.id();
        ProcessBuilder pb = new ProcessBuilder(argv).directory(call.bundle().toFile());
        pb.environment().putAll(environment(call));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BerthException(ErrorKind.NOT_FOUND, what + ": run " + call.binary() + ": " + e.getMessage(),
                    e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outReader = Thread.ofVirtual().name("shim-" + verb + "-stdout")
                .start(() -> copy(p.getInputStream(), out));
        Thread errReader = Thread.ofVirtual().name("shim-" + verb + "-stderr")
                .start(() -> copy(p.getErrorStream(), err));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // the shim exited without reading its options; its status says why
        }
        try {
            if (!p.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new BerthException(ErrorKind.DEADLINE_EXCEEDED, what + ": " + call.binary()
                        + " still running after " + config.timeout().toMillis() + "ms, killed"
                        + stderr(new Output(-1, new byte[0], err.toByteArray())));
            }
            // a child of the shim that kept the pipes open must not hold us: take what came within DRAIN
            outReader.join(DRAIN);
            errReader.join(DRAIN);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorKind.CANCELLED, what + ": interrupted");
        } finally {
            p.getInputStream().close();
            p.getErrorStream().close();
        }
        Output result = new Output(p.exitValue(), out.toByteArray(), err.toByteArray());
        if (result.status() != 0) {
            throw BerthException.internal(what + ": " + call.binary() + " exited with status " + result.status()
                    + stderr(result));
        }
        return result;
    }

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        try {
            in.transferTo(to);
        } catch (IOException e) {
            // closed once the verb exited and DRAIN passed
        }
    }

    private static String stderr(Output out) {
        String text = new String(out.stderr(), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "" : ": " + text;
    }
}
