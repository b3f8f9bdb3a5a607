package dev.berth.it.engine;

import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.StatsRequest;
import dev.berth.it.support.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The network figures of docker's stats: a container on the default bridge pings its gateway, and its stats show
 * the packets on {@code eth0} (and no {@code lo}). berthd runs in a private network namespace without uplink, as
 * in {@link EngineNetworkingTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EngineStatsNetworkTest {
    private String netns;
    private Path scratch;
    private CommandLine commands;
    private EngineFixture f;

    @BeforeAll
    void start() throws Exception {
        netns = "berth-st-" + ProcessHandle.current().pid() + "-"
                + HexFormat.of().formatHex(new byte[] {(byte) System.nanoTime()});
        scratch = Files.createTempDirectory("berth-st-");
        commands = new CommandLine(scratch);
        run("ip", "netns", "add", netns);
        run("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up");
        f = EngineFixture.start(netns);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (f != null) {
                f.close();
            }
        } finally {
            run("ip", "netns", "del", netns);
            try (Stream<Path> walk = Files.walk(scratch)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private void run(String... argv) {
        commands.run(Duration.ofSeconds(60), List.of(argv)).assertSuccess();
    }

    @Test
    void stats_countTheBridgeInterfacesBytes() throws Exception {
        String id = f.create("stats-net", cmd("sh", "-c", "ping -c 3 -i 0.2 $(ip route | awk '/default/ {print $3}')"
                + " >/dev/null 2>&1; touch /pinged; sleep 300"), null);
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        JsonNode eth0 = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonNode doc = EngineFixture.json(f.containers().stats(StatsRequest.newBuilder().setId(id)
                    .setOneShot(true).build()).next().getJson());
            assertFalse(doc.path("networks").has("lo"), doc.toString());
            eth0 = doc.path("networks").path("eth0");
            if (eth0.path("tx_packets").asLong() >= 3 && eth0.path("rx_packets").asLong() >= 3) {
                break;
            }
            Thread.sleep(200);
        }
        assertTrue(eth0 != null && eth0.path("tx_bytes").asLong() > 0 && eth0.path("rx_bytes").asLong() > 0
                && eth0.path("tx_packets").asLong() >= 3, "eth0: " + eth0 + "\n" + f.daemonLog());
    }
}
