package dev.berth.it.dockerapi;

import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers in a JVM of its own, so that it reads {@code DOCKER_HOST} and {@code TESTCONTAINERS_RYUK_DISABLED}
 * from its environment as a user's build would: a GenericContainer with a log wait strategy, a file copied in before
 * start, exec with stdout, stderr and exit code, the logs. Prints one {@code key=value} line per result.
 */
public final class TestcontainersProbe {

    private TestcontainersProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse("busybox:latest"))
                .withCommand("sh", "-c", "echo ready; exec sleep 300")
                .withCopyToContainer(Transferable.of("copied in"), "/tmp/in.txt")
                .waitingFor(Wait.forLogMessage(".*ready.*", 1))) {
            c.start();
            System.out.println("started=" + c.isRunning());
            Container.ExecResult r = c.execInContainer("sh", "-c", "cat /tmp/in.txt; echo oops >&2; exit 3");
            System.out.println("exec.stdout=" + r.getStdout().strip());
            System.out.println("exec.stderr=" + r.getStderr().strip());
            System.out.println("exec.exit=" + r.getExitCode());
            System.out.println("logs=" + c.getLogs().strip());
        }
    }
}
