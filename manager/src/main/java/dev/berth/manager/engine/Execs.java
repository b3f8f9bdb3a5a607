package dev.berth.manager.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Log;
import dev.berth.manager.engine.spec.ExecUser;
import dev.berth.manager.engine.spec.SpecBuilder;
import dev.berth.manager.task.ExecCreate;
import dev.berth.manager.task.ProcessRef;
import dev.berth.manager.task.Tasks;
import dev.berth.manager.task.shim.ProcessExit;
import dev.berth.model.DockerJson;
import dev.berth.model.ExecConfig;
import dev.berth.sys.FdSyscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * docker's exec processes (ExecCreate, ExecStart, ExecInspect, ExecResize) through {@link Tasks#exec}: the
 * process is the container's OCI process with the exec's command, environment (added by key), user, working
 * directory and terminal; its stdio are FIFOs in the container's engine directory. Execs live in memory, as in
 * docker, until their container is removed.
 */
public final class Execs {
    private static final Log LOG = Log.of(Execs.class);
    private static final String PROCESS_TYPE_URL = "types.containerd.io/opencontainers/runtime-spec/1/Process";

    private final Tasks tasks;
    private final FdSyscalls fifos;
    private final DockerEvents events;
    private final Map<String, Exec> execs = new ConcurrentHashMap<>();
    private final Names names = new Names();

    Execs(Tasks tasks, FdSyscalls fifos, DockerEvents events) {
        this.tasks = tasks;
        this.fifos = fifos;
        this.events = events;
    }

    private static final class Exec {
        final String id;
        final String namespace;
        final EngineContainer container;
        final ExecConfig config;
        final byte[] process;
        final Path dir;
        volatile boolean running;
        volatile boolean started;
        volatile Integer exitCode;
        volatile int pid;
        final CompletableFuture<Integer> done = new CompletableFuture<>();

        Exec(String id, String namespace, EngineContainer container, ExecConfig config, byte[] process, Path dir) {
            this.id = id;
            this.namespace = namespace;
            this.container = container;
            this.config = config;
            this.process = process;
            this.dir = dir;
        }
    }

    /**
     * Records an exec of {@code container} (whose OCI spec is {@code spec}, whose mounted root filesystem is
     * {@code rootfs}: its passwd and group files name the exec's user); its id.
     */
    String create(String namespace, EngineContainer container, byte[] spec, Path rootfs, ExecConfig config,
                  Path dir) {
        if (config.cmd() == null || config.cmd().isEmpty()) {
            throw BerthException.invalidArgument("No exec command specified");
        }
        DetachKeys.parse(config.detachKeys());
        String id = names.newId();
        execs.put(id, new Exec(id, namespace, container, config, process(spec, rootfs, config, container), dir));
        return id;
    }

    /** The OCI process of an exec: the container's, with the exec's settings. */
    private static byte[] process(byte[] spec, Path rootfs, ExecConfig config, EngineContainer container) {
        ObjectNode root = (ObjectNode) DockerJson.read(spec, JsonNode.class, "container spec");
        ObjectNode process = root.path("process").deepCopy();
        ArrayNode args = process.putArray("args");
        config.cmd().forEach(args::add);
        process.put("terminal", Boolean.TRUE.equals(config.tty()));
        if (config.env() != null && !config.env().isEmpty()) {
            Map<String, String> env = new LinkedHashMap<>();
            process.path("env").forEach(e -> env.put(e.asText().split("=", 2)[0], e.asText()));
            config.env().forEach(e -> env.put(e.split("=", 2)[0], e));
            ArrayNode out = process.putArray("env");
            env.values().forEach(out::add);
        }
        if (config.workingDir() != null && !config.workingDir().isEmpty()) {
            process.put("cwd", config.workingDir());
        }
        if (config.user() != null && !config.user().isEmpty()) {
            ExecUser resolved;
            try {
                resolved = SpecBuilder.user(rootfs, config.user(), container.hostConfig().groupAdd());
            } catch (BerthException e) {
                throw new BerthException(e.kind(), "exec in container " + container.id() + ": " + e.getMessage());
            }
            ObjectNode user = process.putObject("user");
            user.put("uid", resolved.uid());
            user.put("gid", resolved.gid());
            ArrayNode gids = user.putArray("additionalGids");
            resolved.additionalGids().forEach(gids::add);
        }
        if (Boolean.TRUE.equals(config.privileged())) {
            LOG.debug("exec --privileged keeps the container's capabilities", "id", container.id());
        }
        return DockerJson.write(process);
    }

    /** A started exec: its stdin and its end. */
    public final class Session {
        private final Exec exec;
        private final ProcessIo io;
        private final DetachKeys detachKeys;
        private volatile boolean detached;

        private Session(Exec exec, ProcessIo io, DetachKeys detachKeys) {
            this.exec = exec;
            this.io = io;
            this.detachKeys = detachKeys;
        }

        /**
         * Sends stdin; false if the exec has none. On a terminal, the detach keys end the session ({@link
         * #detached()}); the exec runs on.
         */
        public boolean stdin(byte[] data) throws IOException {
            if (detached) {
                return true;
            }
            byte[] pass = data;
            if (detachKeys != null) {
                DetachKeys.Scan scan = detachKeys.scan(data);
                pass = scan.pass();
                detached = scan.detach();
            }
            Optional<OutputStream> in = io.stdin(Duration.ofSeconds(10));
            if (in.isEmpty()) {
                return false;
            }
            if (pass.length > 0) {
                in.get().write(pass);
                in.get().flush();
            }
            return true;
        }

        /** Whether the client's detach keys ended the session. */
        public boolean detached() {
            return detached;
        }

        /** The client's stdin ended: the exec's stdin closes (docker closes an exec's stdin with its client's). */
        public void closeStdin() {
            if (detached) {
                return;
            }
            io.closeStdin();
            try {
                tasks.closeStdin(ProcessRef.exec(exec.namespace, exec.container.id(), exec.id));
            } catch (BerthException e) {
                LOG.debug("close exec stdin", "exec", exec.id, "error", e.getMessage());
            }
        }

        /** Waits for the exit; its code. */
        public int await() throws InterruptedException {
            try {
                return exec.done.get();
            } catch (java.util.concurrent.ExecutionException e) {
                return 126;
            }
        }
    }

    /**
     * Starts exec {@code id}; its output goes to {@code output}. FAILED_PRECONDITION if it ran already. A command
     * that cannot be executed fails as docker's (126/127 in the message's caller).
     */
    public Session start(String id, ProcessOutput output) throws IOException {
        return start(id, output, "");
    }

    /**
     * {@link #start(String, ProcessOutput)} with docker's detach keys ({@code detachKeys}, else the exec's own
     * {@code DetachKeys}, else ctrl-p,ctrl-q), scanned on a terminal's stdin.
     */
    public Session start(String id, ProcessOutput output, String detachKeys) throws IOException {
        Exec e = get(id);
        DetachKeys keys = DetachKeys.parse(detachKeys == null || detachKeys.isEmpty() ? e.config.detachKeys()
                : detachKeys);
        synchronized (e) {
            if (e.started) {
                throw BerthException.failedPrecondition("Error: Exec command " + id + " has already run");
            }
            e.started = true;
        }
        boolean tty = Boolean.TRUE.equals(e.config.tty());
        ProcessIo io = ProcessIo.create(fifos, e.dir, "exec-" + id.substring(0, 12),
                Boolean.TRUE.equals(e.config.attachStdin()), tty);
        io.start(output);
        ProcessRef ref = ProcessRef.exec(e.namespace, e.container.id(), id);
        try {
            tasks.exec(new ExecCreate(ref, Any.newBuilder().setTypeUrl(PROCESS_TYPE_URL)
                    .setValue(ByteString.copyFrom(e.process)).build(), io.stdio()));
            e.pid = tasks.start(ref);
        } catch (RuntimeException ex) {
            try {
                tasks.deleteProcess(ref);
            } catch (BerthException ignored) {
                LOG.debug("delete failed exec", "exec", id);
            }
            io.close();
            e.exitCode = Engine.startFailureCode(String.valueOf(ex.getMessage()));
            e.done.complete(e.exitCode);
            throw ex;
        }
        e.running = true;
        events.container(e.namespace, "exec_start: " + String.join(" ", e.config.cmd()), e.container,
                Map.of("execID", id));
        Thread.ofVirtual().name("exec-" + id.substring(0, 12)).start(() -> {
            int code;
            try {
                ProcessExit exit = tasks.wait(ref);
                code = exit.exitStatus();
            } catch (RuntimeException ex) {
                LOG.warn("wait for exec", ex, "exec", id);
                code = 255;
            }
            try {
                io.awaitDrained(Duration.ofSeconds(2));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            io.close();
            try {
                tasks.deleteProcess(ref);
            } catch (BerthException ex) {
                LOG.debug("delete exec process", "exec", id, "error", ex.getMessage());
            }
            e.exitCode = code;
            e.running = false;
            events.container(e.namespace, "exec_die", e.container, Map.of("execID", id,
                    "exitCode", Integer.toString(code)));
            e.done.complete(code);
        });
        return new Session(e, io, tty ? keys : null);
    }

    /** What a probe answered: its exit code (-1 on a timeout) and its output (at most 4 KiB). */
    record ProbeResult(int exitCode, String output) {
    }

    /** Runs {@code cmd} in the container as an exec and collects its output (health checks). */
    ProbeResult run(String namespace, EngineContainer container, byte[] spec, List<String> cmd, Path dir,
                    Duration timeout) throws IOException {
        // no user: the probe runs as the container's process does, so no root filesystem is read
        String id = create(namespace, container, spec, dir, new ExecConfig(false, true, true, null, false, null,
                cmd, false, null, null), dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            start(id, (s, data) -> {
                synchronized (out) {
                    if (out.size() < 4096) {
                        out.write(data, 0, Math.min(data.length, 4096 - out.size()));
                    }
                }
            });
            Exec e = get(id);
            try {
                int code = e.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                synchronized (out) {
                    return new ProbeResult(code, out.toString(StandardCharsets.UTF_8));
                }
            } catch (TimeoutException ex) {
                try {
                    tasks.kill(ProcessRef.exec(namespace, container.id(), id), Signals.SIGKILL, false);
                } catch (BerthException k) {
                    LOG.debug("kill timed-out probe", "exec", id);
                }
                return new ProbeResult(-1, "Health check exceeded timeout (" + timeout.toMillis() / 1000.0 + "s)");
            } catch (java.util.concurrent.ExecutionException ex) {
                return new ProbeResult(-1, String.valueOf(ex.getCause().getMessage()));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return new ProbeResult(-1, "interrupted");
            }
        } catch (BerthException ex) {
            return new ProbeResult(-1, ex.getMessage());
        } finally {
            execs.remove(id);
        }
    }

    /** docker's ExecInspect document. */
    public Map<String, Object> inspect(String id) {
        Exec e = get(id);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("ID", e.id);
        doc.put("Running", e.running);
        doc.put("ExitCode", e.exitCode);
        doc.put("ProcessConfig", Map.of("tty", Boolean.TRUE.equals(e.config.tty()),
                "entrypoint", e.config.cmd().getFirst(), "arguments", e.config.cmd().subList(1, e.config.cmd().size()),
                "privileged", Boolean.TRUE.equals(e.config.privileged()),
                "user", e.config.user() == null ? "" : e.config.user()));
        doc.put("OpenStdin", Boolean.TRUE.equals(e.config.attachStdin()));
        doc.put("OpenStderr", Boolean.TRUE.equals(e.config.attachStderr()));
        doc.put("OpenStdout", Boolean.TRUE.equals(e.config.attachStdout()));
        doc.put("CanRemove", false);
        doc.put("ContainerID", e.container.id());
        doc.put("DetachKeys", e.config.detachKeys() == null ? "" : e.config.detachKeys());
        doc.put("Pid", e.pid);
        return doc;
    }

    public void resize(String id, int width, int height) {
        Exec e = get(id);
        tasks.resizePty(ProcessRef.exec(e.namespace, e.container.id(), id), width, height);
    }

    /** Whether the exec wants stdin, and a terminal. */
    public boolean tty(String id) {
        return Boolean.TRUE.equals(get(id).config.tty());
    }

    List<String> idsOf(String namespace, String containerId) {
        List<String> out = new ArrayList<>();
        execs.values().stream().filter(e -> e.namespace.equals(namespace) && e.container.id().equals(containerId))
                .forEach(e -> out.add(e.id));
        return out;
    }

    void forget(String namespace, String containerId) {
        execs.values().removeIf(e -> e.namespace.equals(namespace) && e.container.id().equals(containerId));
    }

    private Exec get(String id) {
        Exec e = execs.get(id);
        if (e == null) {
            throw BerthException.notFound("No such exec instance: " + id);
        }
        return e;
    }

    /** The namespace an exec belongs to (the adapters check it against the caller's). */
    public String namespaceOf(String id) {
        return get(id).namespace;
    }
}
