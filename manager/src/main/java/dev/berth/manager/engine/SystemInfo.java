package dev.berth.manager.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's {@code /info} fields that berthd knows: the namespace's containers by state and images, the storage
 * driver (berthd's snapshotter), the root directory, the log driver, the runtime, and the host's kernel, OS, CPUs,
 * memory and cgroup version.
 */
public final class SystemInfo {
    private final Engine engine;
    private final EngineImages images;
    private final EngineConfig config;
    private final Path root;
    private final String version;

    /** @param root berthd's root directory ({@code DockerRootDir}); {@code version} berthd's */
    public SystemInfo(Engine engine, EngineImages images, EngineConfig config, Path root, String version) {
        this.engine = engine;
        this.images = images;
        this.config = config;
        this.root = root;
        this.version = version;
    }

    public Map<String, Object> info(String namespace) throws IOException {
        List<EngineContainer> containers = engine.containers(namespace);
        long running = containers.stream().filter(c -> c.status() == ContainerStatus.RUNNING
                || c.status() == ContainerStatus.RESTARTING).count();
        long paused = containers.stream().filter(c -> c.status() == ContainerStatus.PAUSED).count();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Containers", containers.size());
        doc.put("ContainersRunning", running);
        doc.put("ContainersPaused", paused);
        doc.put("ContainersStopped", containers.size() - running - paused);
        doc.put("Images", images.list(namespace, Map.of()).size());
        doc.put("Driver", config.snapshotter());
        doc.put("DockerRootDir", root.toString());
        doc.put("LoggingDriver", JsonFileLog.DRIVER);
        doc.put("CgroupDriver", "cgroupfs");
        doc.put("CgroupVersion", Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1");
        doc.put("DefaultRuntime", config.runtime());
        doc.put("KernelVersion", read("/proc/sys/kernel/osrelease"));
        doc.put("OperatingSystem", osName());
        doc.put("OSType", "linux");
        doc.put("Architecture", System.getProperty("os.arch").equals("amd64") ? "x86_64"
                : System.getProperty("os.arch"));
        doc.put("NCPU", Runtime.getRuntime().availableProcessors());
        doc.put("MemTotal", memTotal());
        doc.put("Name", read("/proc/sys/kernel/hostname"));
        doc.put("ServerVersion", version);
        return doc;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path)).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String osName() {
        for (String line : read("/etc/os-release").split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return "Linux";
    }

    private static long memTotal() {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
