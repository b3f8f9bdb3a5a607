package dev.berth.manager.dockerapi;

import java.nio.file.Path;

/**
 * What {@code /version} and {@code /info} say of the host and the daemon that the engine does not.
 *
 * @param arch    Go's name of the architecture (amd64, arm64), as docker reports it
 * @param rootDir berthd's root, docker's {@code DockerRootDir}
 * @param memTotal the host's memory in bytes, docker's {@code MemTotal} (clients such as Testcontainers require it)
 */
public record SystemFacts(String kernelVersion, String arch, String hostname, Path rootDir, long memTotal) {

    /** The facts of this host, read from the JVM's system properties and the kernel's hostname. */
    public static SystemFacts ofHost(Path rootDir) {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
        String host;
        try {
            host = java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return new SystemFacts(System.getProperty("os.version"), arch, host, rootDir, readMemTotal());
    }

    /** MemTotal of /proc/meminfo in bytes; 0 when it cannot be read. */
    private static long readMemTotal() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
