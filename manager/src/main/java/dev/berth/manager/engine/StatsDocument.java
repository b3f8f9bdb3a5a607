package dev.berth.manager.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.berth.api.cgroups.v1.BlkIOEntry;
import dev.berth.api.cgroups.v1.BlkIOStat;
import dev.berth.api.cgroups.v2.IOEntry;
import dev.berth.api.errdefs.BerthException;
import dev.berth.model.DockerJson;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * docker's stats JSON ({@code types.StatsJSON} of API 1.41) from a task's cgroup metrics, field for field as
 * docker 20.10's {@code daemon/stats_unix.go} fills it from containerd's {@code io.containerd.cgroups.v1.Metrics}
 * ({@code statsV1}) and {@code io.containerd.cgroups.v2.Metrics} ({@code statsV2}): CPU in nanoseconds, the memory
 * limit clamped to the host's memory, {@code memory.stat}'s keys as docker names them. Numbers are uint64 as the
 * kernel's and docker's, so a value past 2^63 is written unsigned.
 */
final class StatsDocument {
    /** docker's zero time, what {@code read}/{@code preread} are when there was no sample. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final String V1 = "io.containerd.cgroups.v1.Metrics";
    private static final String V2 = "io.containerd.cgroups.v2.Metrics";
    private static final List<String> BLKIO_V1 = List.of("io_service_bytes_recursive", "io_serviced_recursive",
            "io_queue_recursive", "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive",
            "io_time_recursive", "sectors_recursive");

    private StatsDocument() {
    }

    /** The figures of one sample: what a stats document holds besides its names and times. */
    record Sample(Instant read, ObjectNode cpu, ObjectNode memory, ObjectNode blkio, ObjectNode pids,
                  ObjectNode networks) {
    }

    /** A sample of a container that does not run: docker's zero values. */
    static Sample empty() {
        return new Sample(null, emptyCpu(), object(), emptyBlkio(), object(), null);
    }

    /**
     * The sample of {@code metrics} (either cgroup version's), with the host's CPU figures and memory; the
     * networks are the container's interfaces (null for none, which docker leaves out).
     */
    static Sample of(Any metrics, Instant read, ProcStat.SystemCpu system, long machineMemory,
                     Map<String, NetDev.Interface> networks) {
        ObjectNode cpu;
        ObjectNode memory;
        ObjectNode blkio;
        ObjectNode pids;
        try {
            if (metrics.getTypeUrl().endsWith(V2)) {
                var m = dev.berth.api.cgroups.v2.Metrics.parseFrom(metrics.getValue());
                cpu = cpuV2(m.getCpu());
                memory = memoryV2(m.getMemory(), machineMemory);
                blkio = blkioV2(m.getIo().getUsageList());
                pids = pids(m.getPids().getCurrent(), m.getPids().getLimit());
            } else if (metrics.getTypeUrl().endsWith(V1)) {
                var m = dev.berth.api.cgroups.v1.Metrics.parseFrom(metrics.getValue());
                cpu = cpuV1(m.getCpu());
                memory = memoryV1(m.getMemory(), machineMemory);
                blkio = blkioV1(m.getBlkio());
                pids = pids(m.getPids().getCurrent(), m.getPids().getLimit());
            } else {
                throw BerthException.internal("stats: unknown metrics type " + metrics.getTypeUrl());
            }
        } catch (InvalidProtocolBufferException e) {
            throw BerthException.internal("stats: bad metrics " + metrics.getTypeUrl() + ": " + e.getMessage());
        }
        cpu.set("system_cpu_usage", u64(system.usageNanos()));
        cpu.put("online_cpus", system.onlineCpus());
        return new Sample(read, cpu, memory, blkio, pids, networks == null ? null : networks(networks));
    }

    /** The whole document: {@code previous} becomes precpu_stats and preread (docker's empty ones when null). */
    static ObjectNode document(String id, String name, Sample now, Sample previous) {
        ObjectNode doc = object();
        doc.put("read", now.read() == null ? ZERO_TIME : now.read().toString());
        doc.put("preread", previous == null || previous.read() == null ? ZERO_TIME : previous.read().toString());
        doc.set("pids_stats", now.pids());
        doc.set("blkio_stats", now.blkio());
        doc.put("num_procs", 0);
        doc.set("storage_stats", object());
        doc.set("cpu_stats", now.cpu());
        doc.set("precpu_stats", previous == null ? emptyCpu() : previous.cpu());
        doc.set("memory_stats", now.memory());
        doc.put("name", "/" + name);
        doc.put("id", id);
        if (now.networks() != null) {
            doc.set("networks", now.networks());
        }
        return doc;
    }

    private static ObjectNode cpuV1(dev.berth.api.cgroups.v1.CPUStat c) {
        ObjectNode cpu = object();
        ObjectNode usage = cpu.putObject("cpu_usage");
        usage.set("total_usage", u64(c.getUsage().getTotal()));
        if (c.getUsage().getPerCpuCount() > 0) {
            ArrayNode per = usage.putArray("percpu_usage");
            c.getUsage().getPerCpuList().forEach(v -> per.add(u64(v)));
        }
        usage.set("usage_in_kernelmode", u64(c.getUsage().getKernel()));
        usage.set("usage_in_usermode", u64(c.getUsage().getUser()));
        throttling(cpu, c.getThrottling().getPeriods(), c.getThrottling().getThrottledPeriods(),
                c.getThrottling().getThrottledTime());
        return cpu;
    }

    private static ObjectNode cpuV2(dev.berth.api.cgroups.v2.CPUStat c) {
        ObjectNode cpu = object();
        ObjectNode usage = cpu.putObject("cpu_usage");
        usage.set("total_usage", u64(c.getUsageUsec() * 1000));
        usage.set("usage_in_kernelmode", u64(c.getSystemUsec() * 1000));
        usage.set("usage_in_usermode", u64(c.getUserUsec() * 1000));
        throttling(cpu, c.getNrPeriods(), c.getNrThrottled(), c.getThrottledUsec() * 1000);
        return cpu;
    }

    private static void throttling(ObjectNode cpu, long periods, long throttledPeriods, long throttledTime) {
        ObjectNode t = cpu.putObject("throttling_data");
        t.set("periods", u64(periods));
        t.set("throttled_periods", u64(throttledPeriods));
        t.set("throttled_time", u64(throttledTime));
    }

    private static ObjectNode memoryV1(dev.berth.api.cgroups.v1.MemoryStat m, long machineMemory) {
        ObjectNode memory = object();
        ObjectNode stats = object();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.getType() == FieldDescriptor.Type.UINT64) {
                stats.set(v1StatKey(f.getName()), u64((Long) m.getField(f)));
            }
        }
        if (m.hasUsage()) {
            memory.set("usage", u64(m.getUsage().getUsage()));
            memory.set("max_usage", u64(m.getUsage().getMax()));
        }
        memory.set("stats", stats);
        if (m.hasUsage()) {
            memory.set("failcnt", u64(m.getUsage().getFailcnt()));
            memory.set("limit", u64(clamp(m.getUsage().getLimit(), machineMemory)));
        }
        return memory;
    }

    /**
     * docker's key for a v1 {@code MemoryStat} field: the kernel's {@code memory.stat} name, which the proto
     * splits into words ({@code pg_pg_in} is {@code pgpgin}) and calls a swap limit ({@code hierarchical_memsw_limit}).
     */
    static String v1StatKey(String field) {
        return field.replace("pg_pg_", "pgpg").replace("pg_maj_fault", "pgmajfault").replace("pg_fault", "pgfault")
                .replace("hierarchical_swap_limit", "hierarchical_memsw_limit");
    }

    private static ObjectNode memoryV2(dev.berth.api.cgroups.v2.MemoryStat m, long machineMemory) {
        ObjectNode memory = object();
        ObjectNode stats = object();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.getNumber() <= dev.berth.api.cgroups.v2.MemoryStat.THP_COLLAPSE_ALLOC_FIELD_NUMBER) {
                stats.set(f.getName(), u64((Long) m.getField(f)));
            }
        }
        memory.set("usage", u64(m.getUsage()));
        memory.set("stats", stats);
        memory.set("limit", u64(clamp(m.getUsageLimit(), machineMemory)));
        return memory;
    }

    /** docker: "if the container does not set memory limit, use the machineMemory". */
    private static long clamp(long limit, long machineMemory) {
        return machineMemory > 0 && Long.compareUnsigned(limit, machineMemory) > 0 ? machineMemory : limit;
    }

    private static ObjectNode blkioV1(BlkIOStat b) {
        ObjectNode blkio = object();
        List<List<BlkIOEntry>> lists = List.of(b.getIoServiceBytesRecursiveList(), b.getIoServicedRecursiveList(),
                b.getIoQueuedRecursiveList(), b.getIoServiceTimeRecursiveList(), b.getIoWaitTimeRecursiveList(),
                b.getIoMergedRecursiveList(), b.getIoTimeRecursiveList(), b.getSectorsRecursiveList());
        for (int i = 0; i < BLKIO_V1.size(); i++) {
            if (lists.get(i).isEmpty()) {
                blkio.putNull(BLKIO_V1.get(i));
                continue;
            }
            ArrayNode entries = blkio.putArray(BLKIO_V1.get(i));
            for (BlkIOEntry e : lists.get(i)) {
                entries.add(entry(e.getMajor(), e.getMinor(), e.getOp(), e.getValue()));
            }
        }
        return blkio;
    }

    /** cgroup v2 has only bytes read and written per device (docker: "Other fields are unsupported"). */
    private static ObjectNode blkioV2(List<IOEntry> usage) {
        ObjectNode blkio = emptyBlkio();
        if (!usage.isEmpty()) {
            ArrayNode entries = blkio.putArray("io_service_bytes_recursive");
            for (IOEntry e : usage) {
                entries.add(entry(e.getMajor(), e.getMinor(), "read", e.getRbytes()));
                entries.add(entry(e.getMajor(), e.getMinor(), "write", e.getWbytes()));
            }
        }
        return blkio;
    }

    private static ObjectNode entry(long major, long minor, String op, long value) {
        ObjectNode e = object();
        e.set("major", u64(major));
        e.set("minor", u64(minor));
        e.put("op", op);
        e.set("value", u64(value));
        return e;
    }

    private static ObjectNode pids(long current, long limit) {
        ObjectNode pids = object();
        if (current != 0) {
            pids.set("current", u64(current));
        }
        if (limit != 0) {
            pids.set("limit", u64(limit));
        }
        return pids;
    }

    private static ObjectNode networks(Map<String, NetDev.Interface> interfaces) {
        ObjectNode out = object();
        interfaces.forEach((name, i) -> {
            ObjectNode n = out.putObject(name);
            n.set("rx_bytes", u64(i.rxBytes()));
            n.set("rx_packets", u64(i.rxPackets()));
            n.set("rx_errors", u64(i.rxErrors()));
            n.set("rx_dropped", u64(i.rxDropped()));
            n.set("tx_bytes", u64(i.txBytes()));
            n.set("tx_packets", u64(i.txPackets()));
            n.set("tx_errors", u64(i.txErrors()));
            n.set("tx_dropped", u64(i.txDropped()));
        });
        return out;
    }

    private static ObjectNode emptyCpu() {
        ObjectNode cpu = object();
        ObjectNode usage = cpu.putObject("cpu_usage");
        usage.put("total_usage", 0);
        usage.put("usage_in_kernelmode", 0);
        usage.put("usage_in_usermode", 0);
        throttling(cpu, 0, 0, 0);
        return cpu;
    }

    private static ObjectNode emptyBlkio() {
        ObjectNode blkio = object();
        BLKIO_V1.forEach(blkio::putNull);
        return blkio;
    }

    private static ObjectNode object() {
        return DockerJson.mapper().createObjectNode();
    }

    /** A uint64 as JSON: unsigned, as Go writes it. */
    private static com.fasterxml.jackson.databind.JsonNode u64(long v) {
        return v >= 0 ? DockerJson.mapper().getNodeFactory().numberNode(v)
                : DockerJson.mapper().getNodeFactory().numberNode(new BigInteger(Long.toUnsignedString(v)));
    }
}
