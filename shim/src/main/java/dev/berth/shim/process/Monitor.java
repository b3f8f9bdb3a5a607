package dev.berth.shim.process;

import dev.berth.log.Log;
import dev.berth.sys.Errno;
import dev.berth.sys.ProcessSyscalls;
import dev.berth.sys.SocketSyscalls;
import dev.berth.sys.SyscallException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The server's connection to one container's {@code berth-monitor} ({@code src/main/c/berth-monitor.c}, where the
 * protocol is drawn): the process role of that container's runtime calls. {@code spawn} runs the program as the
 * monitor's child (berth-init, a runc binary), so the container's processes are the monitor's descendants, and
 * {@code waitpid} waits for the exit the monitor reports. Exits of processes nobody spawned through this object
 * (the container's init, which berth-init clones as the monitor's child; orphans) are kept until {@link #claim}ed.
 * The other calls go to the server's own process role.
 */
public final class Monitor implements ProcessSyscalls, AutoCloseable {
    private static final Log LOG = Log.of(Monitor.class);
    private static final int SPAWN = 1;
    private static final int INIT = 2;
    private static final int BYE = 3;
    private static final int SPAWNED = 10;
    private static final int EXIT = 11;
    private static final int HELLO = 12;
    private static final String PROC_SELF_FD = "/proc/self/fd/";
    private static final int SIGKILL = 9;
    /** How long a HELLO or a SPAWNED may take: the monitor answers at once unless it is gone. */
    private static final long ANSWER_SECONDS = 30;

    /** What a monitor says first on every connection: its container, and its init once the server named it. */
    public record Hello(int initPid, String id, String bundle) {}

    private final SocketSyscalls sys;
    private final ProcessSyscalls server;
    private final int fd;
    private final String name;
    private final Path socket;
    private final CompletableFuture<Hello> hello = new CompletableFuture<>();
    private final CompletableFuture<Void> lost = new CompletableFuture<>();
    private final Map<Integer, CompletableFuture<Integer>> spawning = new HashMap<>();
    private final Map<Integer, CompletableFuture<Reaper.Exit>> claimed = new HashMap<>();
    private final Map<Integer, Reaper.Exit> held = new HashMap<>();
    /** Claims that take only an exit from this time on: an earlier one of the pid was another process's. */
    private final Map<Integer, Instant> notBefore = new HashMap<>();
    private final SpawnedChildren children = new SpawnedChildren();
    /** Pids spawned by the server itself because the monitor was gone: waited for through the server. */
    private final java.util.Set<Integer> serverChildren = new java.util.HashSet<>();
    private int nextTag = 1;
    private boolean closed;
    private Instant abandonedAt;

    private Monitor(SocketSyscalls sys, ProcessSyscalls server, int fd, String name, Path socket) {
        this.sys = sys;
        this.server = server;
        this.fd = fd;
        this.name = name;
        this.socket = socket;
    }

    /**
     * Starts reading from a connected monitor ({@code fd}, which this object then owns) and returns once it said
     * HELLO.
     *
     * @param name the container, in errors and logs
     * @param socket where the monitor listens for a later server
     */
    static Monitor attach(SocketSyscalls sys, ProcessSyscalls server, int fd, String name, Path socket) {
        Monitor m = new Monitor(sys, server, fd, name, socket);
        Thread.ofPlatform().name("monitor-" + name).daemon().stackSize(256 * 1024).start(m::readLoop);
        m.await(m.hello, "hello");
        return m;
    }

    public Hello hello() {
        return hello.join();
    }

    /** Completes when the connection to the monitor is gone (it exited or was killed). */
    public CompletableFuture<Void> lost() {
        return lost;
    }

    /** The future exit of a process the monitor reaps: the container's init or an exec'd process. */
    public synchronized CompletableFuture<Reaper.Exit> claim(int pid) {
        Reaper.Exit exit = held.remove(pid);
        if (exit != null) {
            return CompletableFuture.completedFuture(exit);
        }
        if (abandonedAt != null) {
            return CompletableFuture.completedFuture(new Reaper.Exit(pid, 0, SIGKILL, abandonedAt));
        }
        return claimed.computeIfAbsent(pid, p -> new CompletableFuture<>());
    }

    /**
     * {@link #claim}, for a process that started at {@code startedAt}: an exit of the pid from before then (a
     * process that had the pid earlier, which a new server hears of among every exit so far) is not its.
     */
    public synchronized CompletableFuture<Reaper.Exit> claimAfter(int pid, Instant startedAt) {
        Reaper.Exit earlier = held.get(pid);
        if (earlier != null && earlier.exitedAt().isBefore(startedAt)) {
            held.remove(pid);
        }
        CompletableFuture<Reaper.Exit> exit = claim(pid);
        if (!exit.isDone()) {
            notBefore.put(pid, startedAt);
        }
        return exit;
    }

    /**
     * The monitor died before its container was deleted, and the caller has killed the container's processes
     * (nobody is left to report their exits): every exit not yet reported, now and later, is a SIGKILL at
     * {@code at}, the status containerd gives the tasks of a shim that died.
     */
    public void abandon(Instant at) {
        List<CompletableFuture<Reaper.Exit>> pending;
        List<Integer> pids;
        synchronized (this) {
            abandonedAt = at;
            pids = List.copyOf(claimed.keySet());
            pending = pids.stream().map(claimed::get).toList();
            claimed.clear();
        }
        LOG.info("monitor lost: its processes count as killed", "id", name, "pids", pids);
        for (int i = 0; i < pids.size(); i++) {
            pending.get(i).complete(new Reaper.Exit(pids.get(i), 0, SIGKILL, at));
        }
    }

    /** Tells the monitor which process is the container's init: its exit goes into the bundle's exit file. */
    public void init(int pid) {
        send(INIT, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(pid).array(), new int[0]);
    }

    /**
     * The container is deleted: the monitor removes its socket and exits; the socket of one that died is removed
     * here.
     */
    public void bye() {
        try {
            send(BYE, new byte[0], new int[0]);
        } catch (SyscallException e) {
            LOG.debug("monitor already gone", "id", name, "error", e.getMessage());
            deleteQuietly(socket);
        }
        close();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("remove socket of a dead monitor", e, "socket", p);
        }
    }

    /** Through the monitor; through the server once the monitor is gone (a runtime binary's delete, say). */
    @Override
    public int spawn(String path, List<String> argv, List<String> env, Map<Integer, Integer> fds) {
        synchronized (this) {
            if (closed) {
                int pid = server.spawn(path, argv, env, fds);
                serverChildren.add(pid);
                return pid;
            }
        }
        List<Integer> targets = new ArrayList<>(fds.keySet());
        int exe = -1;
        List<Integer> attached = new ArrayList<>();
        if (path.startsWith(PROC_SELF_FD)) {
            exe = Integer.parseInt(path.substring(PROC_SELF_FD.length()));
            attached.add(exe);
        }
        targets.forEach(t -> attached.add(fds.get(t)));
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        for (String s : concat(path, argv, env)) {
            strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
        }
        int tag;
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        synchronized (this) {
            tag = nextTag++;
            spawning.put(tag, answer);
        }
        ByteBuffer b = ByteBuffer.allocate(20 + 4 * targets.size() + strings.size()).order(ByteOrder.nativeOrder());
        b.putInt(tag).putInt(exe >= 0 ? 1 : 0).putInt(targets.size()).putInt(argv.size()).putInt(env.size());
        targets.forEach(b::putInt);
        b.put(strings.toByteArray());
        send(SPAWN, b.array(), attached.stream().mapToInt(Integer::intValue).toArray());
        int pid = await(answer, "spawn " + path);
        if (pid < 0) {
            throw new SyscallException("spawn", path, -pid);
        }
        return pid;
    }

    private static List<String> concat(String path, List<String> argv, List<String> env) {
        List<String> all = new ArrayList<>();
        all.add(path);
        all.addAll(argv);
        all.addAll(env);
        return all;
    }

    /** Waits for a child spawned through this object; any other pid is ECHILD, as with {@link ReaperSyscalls}. */
    @Override
    public Optional<ExitStatus> waitpid(int pid, boolean noHang) {
        boolean servers;
        synchronized (this) {
            servers = serverChildren.contains(pid);
        }
        if (!servers) {
            return children.waitpid(pid, noHang);
        }
        Optional<ExitStatus> status = server.waitpid(pid, noHang);
        if (status.isPresent()) {
            synchronized (this) {
                serverChildren.remove(pid);
            }
        }
        return status;
    }

    @Override
    public void kill(int pid, int signal) {
        server.kill(pid, signal);
    }

    @Override
    public boolean processExists(int pid) {
        return server.processExists(pid);
    }

    @Override
    public void setChildSubreaper() {
        server.setChildSubreaper();
    }

    @Override
    public int getpid() {
        return server.getpid();
    }

    @Override
    public void setpriority(int which, int who, int nice) {
        server.setpriority(which, who, nice);
    }

    private void send(int type, byte[] payload, int[] fds) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.nativeOrder());
        b.putInt(type).putInt(payload.length).put(payload);
        synchronized (this) {
            if (closed) {
                throw new SyscallException("send to monitor", name, Errno.EPIPE);
            }
            sys.sendFds(fd, b.array(), fds);
        }
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyscallException(what + " through monitor", name, Errno.EINTR);
        } catch (ExecutionException | TimeoutException e) {
            throw new SyscallException(what + " through monitor", name, Errno.EPIPE);
        }
    }

    private void readLoop() {
        byte[] head = new byte[8];
        try {
            while (readFully(head)) {
                ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.nativeOrder());
                int type = h.getInt();
                byte[] payload = new byte[h.getInt()];
                if (!readFully(payload)) {
                    break;
                }
                handle(type, ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()));
            }
        } catch (SyscallException e) {
            LOG.debug("monitor connection broken", "id", name, "error", e.getMessage());
        } finally {
            synchronized (this) {
                closed = true;
                sys.close(fd);
            }
            SyscallException gone = new SyscallException("monitor", name, Errno.EPIPE);
            hello.completeExceptionally(gone);
            List<CompletableFuture<Integer>> pending;
            synchronized (this) {
                pending = List.copyOf(spawning.values());
                spawning.clear();
            }
            pending.forEach(f -> f.completeExceptionally(gone));
            lost.complete(null);
        }
    }

    private void handle(int type, ByteBuffer p) {
        switch (type) {
            case HELLO -> {
                int init = p.getInt();
                byte[] rest = new byte[p.remaining()];
                p.get(rest);
                String[] s = new String(rest, StandardCharsets.UTF_8).split("\0", -1);
                hello.complete(new Hello(init, s[0], s.length > 1 ? s[1] : ""));
            }
            case SPAWNED -> {
                int tag = p.getInt();
                int pid = p.getInt();
                CompletableFuture<Integer> answer;
                synchronized (this) {
                    answer = spawning.remove(tag);
                    if (pid > 0) {
                        // the EXIT of this pid comes after this message: the claim is in place before it
                        children.add(pid, claim(pid));
                    }
                }
                if (answer != null) {
                    answer.complete(pid);
                }
            }
            case EXIT -> exited(p.getInt(), p.getInt(), Instant.ofEpochSecond(p.getLong(), p.getLong()));
            default -> LOG.warn("unknown message from monitor", "id", name, "type", type);
        }
    }

    private void exited(int pid, int waitStatus, Instant at) {
        int signal = waitStatus & 0x7f;
        Reaper.Exit exit = signal != 0 ? new Reaper.Exit(pid, 0, signal, at)
                : new Reaper.Exit(pid, (waitStatus >> 8) & 0xff, 0, at);
        CompletableFuture<Reaper.Exit> future;
        synchronized (this) {
            Instant from = notBefore.get(pid);
            if (from != null && at.isBefore(from)) {
                return; // a process that had the pid before the claimed one
            }
            notBefore.remove(pid);
            future = claimed.remove(pid);
            if (future == null) {
                held.put(pid, exit);
                return;
            }
        }
        future.complete(exit);
    }

    private boolean readFully(byte[] buf) {
        int off = 0;
        while (off < buf.length) {
            int n = sys.read(fd, buf, off, buf.length - off);
            if (n <= 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    /**
     * Stops sending; the reader closes the connection when the monitor closes its end (after BYE, or when it
     * dies). The monitor keeps running otherwise and waits for the next server.
     */
    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "Monitor[" + name + "]";
    }

    /** For tests and logs: run {@code action} once the monitor is gone. */
    public void onLost(Consumer<Monitor> action) {
        lost.thenRun(() -> action.accept(this));
    }
}
