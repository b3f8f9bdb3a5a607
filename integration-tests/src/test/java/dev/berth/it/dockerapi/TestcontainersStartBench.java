package dev.berth.it.dockerapi;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * bench/docker-api-bench.sh's Testcontainers side, in a JVM of its own with {@code DOCKER_HOST} at the engine
 * under test: one untimed start (Testcontainers' own set-up: client, ping, info, image check), then {@code args[0]}
 * timed starts of a busybox GenericContainer with a log wait strategy, each stopped after; prints
 * {@code start_us N} per timed start.
 */
public final class TestcontainersStartBench {

    private TestcontainersStartBench() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        for (int i = 0; i <= count; i++) {
            try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse("busybox:latest"))
                    .withCommand("sh", "-c", "echo ready; exec sleep 300")
                    .waitingFor(Wait.forLogMessage(".*ready.*", 1))) {
                long t0 = System.nanoTime();
                c.start();
                long us = (System.nanoTime() - t0) / 1000;
                if (i > 0) {
                    System.out.println("start_us " + us);
                }
            }
        }
    }
}
