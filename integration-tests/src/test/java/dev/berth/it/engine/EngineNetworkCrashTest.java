package dev.berth.it.engine;

import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.model.DockerJson;
import dev.berth.model.HostConfig;
import dev.berth.model.PortBinding;
import dev.berth.it.support.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * berthd killed with SIGKILL while its containers are networked, in a private network namespace without uplink
 * (masquerade and upstream DNS off): a restarted berthd keeps their addresses and published ports, and what it
 * reconciles or removes leaves no IP file, CNI cache entry, veth, netns mount or iptables rule behind; a kill in the
 * middle of a CNI ADD (a real chain whose portmap step is a wrapper that waits) is reconciled at the restart.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class EngineNetworkCrashTest {
    private PrivateNetwork network;
    private EngineFixture f;
    private Path plugins;
    private Long sleeper;

    @BeforeEach
    void netns() throws Exception {
        network = PrivateNetwork.create("berth-nc-");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (sleeper != null) {
                ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (f != null) {
                f.close();
            }
        } finally {
            network.close();
            if (plugins != null) {
                try (Stream<Path> walk = Files.walk(plugins)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    @Test
    void sigkill_tenNetworkedContainers_keepAddressesAndPorts_andTheirRemovalLeavesNothing() throws Exception {
        f = EngineFixture.start(network.name());
        String net = "crash-" + network.name().substring(network.name().length() - 4);
        f.networks().create(JsonDocument.newBuilder().setJson(ByteString.copyFrom(DockerJson.write(Map.of(
                "Name", net, "Driver", "bridge")))).build());
        Map<String, Integer> published = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HostConfig.Builder host = new HostConfig.Builder().networkMode(i % 2 == 0 ? "bridge" : net);
            if (i % 3 == 0) {
                host.portBindings(Map.of("80/tcp", List.of(new PortBinding("127.0.0.1", Integer.toString(18100 + i)))));
            }
            String id = f.create(null, cmd("sh", "-c", "echo c" + i + " > /tmp/index.html && httpd -f -p 80 -h /tmp"),
                    host.build());
            f.containers().start(ContainerRef.newBuilder().setId(id).build());
            ids.add(id);
            if (i % 3 == 0) {
                published.put(id, 18100 + i);
            }
        }
        Map<String, JsonNode> before = new LinkedHashMap<>();
        for (String id : ids) {
            before.put(id, f.inspect(id).path("NetworkSettings"));
        }

        f.crashAndReopen();

        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            JsonNode after = f.inspect(id).path("NetworkSettings");
            assertEquals(before.get(id).path("Networks"), after.path("Networks"), "container " + i);
            assertEquals(before.get(id).path("Ports"), after.path("Ports"), "container " + i);
            String ip = after.path("Networks").properties().iterator().next().getValue().path("IPAddress").asText();
            assertTrue(network.httpGet(ip, 80).contains("c" + i), "container " + i + " answers on " + ip);
        }
        for (Map.Entry<String, Integer> p : published.entrySet()) {
            int i = ids.indexOf(p.getKey());
            assertTrue(network.httpGet("127.0.0.1", p.getValue()).contains("c" + i), "published port of " + i);
        }
        for (String id : ids) {
            f.containers().remove(RemoveContainerRequest.newBuilder().setId(id).setForce(true).build());
        }
        assertEquals("", network.leftovers(f.dir()));
    }

    @Test
    void sigkill_inTheMiddleOfACniAdd_isReconciledAtRestart() throws Exception {
        plugins = slowPortmap();
        Path trigger = plugins.resolve("slow");
        Files.writeString(trigger, "");
        f = EngineFixture.start(network.name(), "[berth.network]\nbridge = \"berth0\"\nmasquerade = false\n"
                + "upstream_dns = false\nplugin_dirs = [\"" + plugins.resolve("bin") + "\"]\n");
        String id = f.create(null, cmd("sh", "-c", "echo again > /tmp/index.html && httpd -f -p 80 -h /tmp"),
                new HostConfig.Builder().portBindings(Map.of("80/tcp", List.of(new PortBinding("127.0.0.1",
                        "18120")))).build());
        CompletableFuture<Void> start = CompletableFuture.runAsync(() -> f.containers().start(
                ContainerRef.newBuilder().setId(id).build()));
        Path pid = plugins.resolve("slow.pid");
        Wait.until("the portmap step of the ADD", Duration.ofSeconds(60), () -> Files.exists(pid));
        sleeper = Long.parseLong(Files.readString(pid).strip());
        String midway = network.leftovers(f.dir());
        assertTrue(midway.contains("veth") && midway.contains("cache ") && midway.contains("ipam "),
                "the bridge step ran before the kill: " + midway);
        Files.delete(trigger);

        f.crashAndReopen();

        assertTrue(start.handle((v, e) -> e != null).get(30, TimeUnit.SECONDS), "the interrupted start failed");
        // berthd serves while it recovers; the engine's calls wait for docker's model, reconciled networks included
        assertEquals("created", f.inspect(id).path("State").path("Status").asText());
        assertEquals("", network.leftovers(f.dir()), "reconciled at the restart");
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        assertTrue(network.httpGet("127.0.0.1", 18120).contains("again"), "a later start works");
        f.containers().remove(RemoveContainerRequest.newBuilder().setId(id).setForce(true).build());
        assertEquals("", network.leftovers(f.dir()));
    }

    /**
     * A CNI plugin directory: Debian's plugins, except that {@code portmap} is a wrapper that, while the file
     * {@code slow} exists, records its pid and waits instead of running the real one for an ADD.
     */
    private static Path slowPortmap() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "berth-slow-cni-");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        try (Stream<Path> real = Files.list(Path.of("/usr/lib/cni"))) {
            for (Path p : real.toList()) {
                if (!p.getFileName().toString().equals("portmap")) {
                    Files.createSymbolicLink(bin.resolve(p.getFileName()), p);
                }
            }
        }
        Path wrapper = bin.resolve("portmap");
        Files.writeString(wrapper, "#!/bin/sh\nif [ \"$CNI_COMMAND\" = ADD ] && [ -e " + dir.resolve("slow")
                + " ]; then\n  echo $$ > " + dir.resolve("slow.pid") + ".tmp && mv " + dir.resolve("slow.pid")
                + ".tmp " + dir.resolve("slow.pid") + "\n  exec sleep 300\nfi\nexec /usr/lib/cni/portmap\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}
