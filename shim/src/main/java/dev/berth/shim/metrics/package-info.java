/**
 * Task metrics and memory events: converts the runtime's {@code events --stats} JSON into containerd's cgroup
 * {@code Metrics} messages (the Any of the shim's Stats), and watches containers' memory cgroups for OOM kills.
 */
package dev.berth.shim.metrics;
