package dev.berth.manager.dockerapi;

import java.nio.file.Path;

/**
 * What {@code /version} and {@code /info} say of the host and the daemon that the engine does not.
 *
 * @param arch    Go's name of the architecture (amd64, arm64), as docker reports it
 * @param rootDir berthd's root, docker's {@code DockerRootDir}
 */
public record SystemFacts(String kernelVersion, String arch, String hostname, Path rootDir) {

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
        return new SystemFacts(System.getProperty("os.version"), arch, host, rootDir);
    }
}
