package dev.berth.shim.engine;

/**
 * A container's resource usage as the runtime reports it: the {@code data} object of {@code runc events --stats}
 * (cpu, memory, pids, blkio, hugetlb; runc's {@code types.Stats}), kept as JSON for the task service to convert.
 */
public record Stats(String json) {}
