package dev.berth.manager.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.task.Tasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * docker's container stats: a sample is the task's cgroup metrics as its shim reports them (containerd's
 * {@code Metrics}, as docker 20.10 gets them from containerd), the host's CPU time and online CPUs, the host's
 * memory as the limit of an unlimited container, and the counters of the container's network interfaces; see
 * {@link StatsDocument} for the shape. A container without a running task gives docker's zero document.
 *
 * <p>Docker's three modes: {@code stream} (a document a second, each with the previous sample as precpu, until the
 * client cancels or the container stops), one-shot (one sample, precpu empty) and the default single answer
 * (two samples a second apart, so that precpu is filled and a CPU % can be told).
 */
public final class ContainerStats {
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Engine engine;
    private final Tasks tasks;
    private final Clock clock;
    private final Path proc;

    /** @param proc the host's {@code /proc} */
    public ContainerStats(Engine engine, Tasks tasks, Clock clock, Path proc) {
        this.engine = engine;
        this.tasks = tasks;
        this.clock = clock;
        this.proc = proc;
    }

    /** What a stats call asks for. */
    public enum Mode { STREAM, ONE_SHOT, TWO_SAMPLES }

    /**
     * Sends the container's stats documents to {@code sink} in {@code mode}; returns when done, when
     * {@code cancelled} says so, or when a streamed container stops.
     */
    public void stats(String namespace, String ref, Mode mode, Consumer<ObjectNode> sink, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        EngineContainer c = engine.lookup(namespace, ref);
        StatsDocument.Sample first = sample(namespace, c);
        if (first == null) {
            sink.accept(StatsDocument.document(c.id(), c.name(), StatsDocument.empty(), null));
            return;
        }
        if (mode == Mode.ONE_SHOT) {
            sink.accept(StatsDocument.document(c.id(), c.name(), first, null));
            return;
        }
        if (mode == Mode.TWO_SAMPLES) {
            Thread.sleep(INTERVAL);
            StatsDocument.Sample second = sample(namespace, c);
            sink.accept(second == null ? StatsDocument.document(c.id(), c.name(), StatsDocument.empty(), null)
                    : StatsDocument.document(c.id(), c.name(), second, first));
            return;
        }
        StatsDocument.Sample previous = null;
        StatsDocument.Sample now = first;
        while (now != null && !cancelled.getAsBoolean()) {
            sink.accept(StatsDocument.document(c.id(), c.name(), now, previous));
            long until = System.nanoTime() + INTERVAL.toNanos();
            while (System.nanoTime() < until && !cancelled.getAsBoolean()) {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
            previous = now;
            now = sample(namespace, c);
        }
    }

    /** A sample of the container's running task; null when it has none (not started, stopped, restarting). */
    private StatsDocument.Sample sample(String namespace, EngineContainer c) throws IOException {
        if (!engine.hasRunningTask(namespace, c.id())) {
            return null;
        }
        Any metrics;
        try {
            metrics = tasks.metrics(namespace, c.id());
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.FAILED_PRECONDITION) {
                return null; // it stopped meanwhile
            }
            throw e;
        }
        ProcStat.SystemCpu system = ProcStat.systemCpu(Files.readString(proc.resolve("stat")));
        long memory = ProcStat.memTotal(Files.readString(proc.resolve("meminfo")));
        return StatsDocument.of(metrics, clock.instant(), system, memory, networks(namespace, c));
    }

    /** The counters of the container's own network namespace; null with the host's (docker shows none then). */
    private Map<String, NetDev.Interface> networks(String namespace, EngineContainer c) throws IOException {
        String mode = c.hostConfig().networkMode();
        int pid = engine.pid(namespace, c.id());
        if ("host".equals(mode) || pid <= 0) {
            return null;
        }
        Map<String, NetDev.Interface> interfaces;
        try {
            interfaces = NetDev.parse(Files.readString(proc.resolve(Integer.toString(pid)).resolve("net/dev")));
        } catch (java.nio.file.NoSuchFileException e) {
            return null; // the process is gone: the next sample finds the container stopped
        }
        return interfaces.isEmpty() ? null : interfaces;
    }
}
