package dev.berth.it.engine;

import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.CreateContainerRequest;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.NetworkRef;
import dev.berth.api.services.engine.v1.RemoveContainerRequest;
import dev.berth.api.services.engine.v1.StreamKind;
import dev.berth.model.ContainerConfig;
import dev.berth.model.DockerJson;
import dev.berth.model.EndpointSettings;
import dev.berth.model.HostConfig;
import dev.berth.model.NetworkingConfig;
import dev.berth.model.PortBinding;
import dev.berth.model.RestartPolicy;
import dev.berth.it.support.CommandLine;
import dev.berth.it.support.NetnsHttp;
import dev.berth.sys.LinuxSyscalls;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Networking with real containers: berthd runs as a child process in a private network namespace without uplink
 * ({@code ip netns add}, {@code nsenter --net}; masquerade and upstream DNS off), so its bridges, veths, iptables
 * rules and {@code ip_forward} exist only there; the test reaches published ports on that namespace's 127.0.0.1
 * from a thread that joined it. Each test removes its containers and checks nothing of them is left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EngineNetworkingTest {
    private static final LinuxSyscalls SYS = LinuxSyscalls.loadBuilt();
    private String netns;
    private Path scratch;
    private CommandLine commands;
    private EngineFixture f;
    private final List<String> created = new ArrayList<>();
    private final String suffix = HexFormat.of().formatHex(new byte[] {(byte) System.nanoTime(),
            (byte) (System.nanoTime() >> 8)});

    @BeforeAll
    void start() throws Exception {
        netns = "berth-nw-" + ProcessHandle.current().pid() + "-" + suffix;
        scratch = Files.createTempDirectory("berth-nw-");
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

    /** Removes this test's containers, then checks no veth, netns mount, cache entry or portmap chain is left. */
    @AfterEach
    void removeAndCheck() throws Exception {
        removeContainers();
        assertEquals("", inNetns("ip", "-o", "link", "show", "type", "veth"), "leftover veths");
        assertEquals(List.of(), entries(f.dir().resolve("state/netns")), "leftover netns mounts");
        assertEquals(List.of(), entries(f.dir().resolve("root/cni-cache/results")), "leftover cache entries");
        String nat = inNetns("iptables-save", "-t", "nat");
        assertFalse(nat.contains("CNI-DN-"), "leftover portmap chains: " + nat);
        assertFalse(mounts().contains(f.dir() + "/state/netns/"), "leftover netns mount");
    }

    @Test
    void bridge_isTheDefault_with172_17OnEth0_andTheOwnAddressInHosts() throws Exception {
        String id = start(null, cmd("sh", "-c", "ip -4 -o addr show eth0; cat /etc/hosts; sleep 60"),
                new HostConfig.Builder().build(), null);
        String out = awaitLogs(id, "ip6-allrouters");
        JsonNode settings = f.inspect(id).path("NetworkSettings");
        String ip = settings.path("IPAddress").asText();
        assertTrue(ip.startsWith("172.17."), "bridge address: " + settings);
        assertEquals("172.17.0.1", settings.path("Gateway").asText());
        assertTrue(settings.path("MacAddress").asText().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), settings.toString());
        assertEquals(ip, settings.path("Networks").path("bridge").path("IPAddress").asText());
        assertTrue(out.contains("inet " + ip + "/16"), out);
        awaitLogs(id, ip + "\t" + id.substring(0, 12));
    }

    @Test
    void userNetwork_containersReachEachOtherByNameAndAlias() throws Exception {
        String net = "nw-" + suffix;
        f.networks().create(json(Map.of("Name", net, "Driver", "bridge")));
        try {
            String server = "srv-" + suffix;
            start(server, cmd("sh", "-c", "echo hello-from-server > /tmp/index.html && httpd -f -p 80 -h /tmp"),
                    new HostConfig.Builder().networkMode(net).build(),
                    new NetworkingConfig(Map.of(net, EndpointSettings.request(List.of("web"), null))));
            // this busybox's wget crashes (SIGSEGV, on the host too) and its libc resolver is not the test's point:
            // names go through nslookup, which asks the embedded DNS of /etc/resolv.conf, and nc and ping use the
            // addresses it answers
            String lookup = "$(nslookup %s | awk '/^Address: /{print $2}' | tail -n 1)";
            String client = start(null, cmd("sh", "-c", "cat /etc/resolv.conf; byname=" + lookup.formatted(server)
                    + "; byalias=" + lookup.formatted("web") + "; echo \"name=$byname alias=$byalias\";"
                    + " [ -n \"$byname\" ] && [ \"$byname\" = \"$byalias\" ]"
                    + " && printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 $byalias 80"
                    + " && ping -c 1 -W 2 $byname && echo ALL-OK"),
                    new HostConfig.Builder().networkMode(net).build(), null);
            String gateway = f.inspect(server).path("NetworkSettings").path("Networks").path(net).path("Gateway")
                    .asText();
            String out = awaitLogs(client, "ALL-OK");
            assertTrue(gateway.startsWith("172."), gateway);
            assertTrue(out.contains("nameserver " + gateway), out);
            assertTrue(out.contains("hello-from-server"), out);
            String serverIp = f.inspect(server).path("NetworkSettings").path("Networks").path(net).path("IPAddress")
                    .asText();
            assertTrue(out.contains("name=" + serverIp + " alias=" + serverIp), out);
        } finally {
            removeContainers();
            f.networks().remove(NetworkRef.newBuilder().setId(net).build());
        }
    }

    @Test
    void publishedPort_onLoopback_answersFromTheHostSide() throws Exception {
        String id = start(null, httpd("published"), new HostConfig.Builder().portBindings(Map.of("80/tcp",
                List.of(new PortBinding("127.0.0.1", "18080")))).build(), null);
        assertEquals("127.0.0.1", f.inspect(id).path("NetworkSettings").path("Ports").path("80/tcp").path(0)
                .path("HostIp").asText());
        assertTrue(httpGet(18080).contains("published"));
    }

    @Test
    void berthdRestart_keepsAddressesAndPublishedPorts() throws Exception {
        keepsNetworking(false);
    }

    @Test
    void berthdKilled_keepsAddressesAndPublishedPorts() throws Exception {
        keepsNetworking(true);
    }

    private void keepsNetworking(boolean crash) throws Exception {
        String id = start(null, httpd("survives"), new HostConfig.Builder().portBindings(Map.of("80/tcp",
                List.of(new PortBinding("127.0.0.1", "18081")))).build(), null);
        JsonNode before = f.inspect(id).path("NetworkSettings");
        assertTrue(httpGet(18081).contains("survives"));
        if (crash) {
            f.crashAndReopen();
        } else {
            f.reopen();
        }
        JsonNode after = f.inspect(id).path("NetworkSettings");
        assertEquals(before.path("IPAddress").asText(), after.path("IPAddress").asText());
        assertEquals(before.path("Ports"), after.path("Ports"));
        assertTrue(httpGet(18081).contains("survives"));
    }

    @Test
    void portWithoutHostPort_getsAFreeOne_shownByPortAndInspect() throws Exception {
        String id = start(null, httpd("free-port"), new HostConfig.Builder().portBindings(Map.of("80/tcp",
                List.of(new PortBinding("", "")))).build(), null);
        JsonNode ports = DockerJson.mapper().readTree(f.containers().port(ContainerRef.newBuilder().setId(id)
                .build()).getJson().toByteArray());
        int port = Integer.parseInt(ports.path("80/tcp").path(0).path("HostPort").asText());
        assertTrue(port > 0, ports.toString());
        assertEquals(ports, f.inspect(id).path("NetworkSettings").path("Ports"));
        assertTrue(httpGet(port).contains("free-port"));
    }

    @Test
    void none_hasOnlyLoopback() throws Exception {
        String id = start(null, cmd("sh", "-c", "ip -o link show; echo DONE"),
                new HostConfig.Builder().networkMode("none").build(), null);
        String out = awaitLogs(id, "DONE");
        assertEquals(Set.of("lo"), linkNames(out), out);
    }

    @Test
    void host_seesTheHostsInterfaces() throws Exception {
        String id = start(null, cmd("sh", "-c", "ip -o link show; echo DONE"),
                new HostConfig.Builder().networkMode("host").build(), null);
        String out = awaitLogs(id, "DONE");
        assertEquals(linkNames(inNetns("ip", "-o", "link", "show")), linkNames(out), out);
    }

    @Test
    void restartPolicy_setsTheNetworkUpAgainForEachRun() throws Exception {
        String id = start(null, cmd("sh", "-c", "ip -4 -o addr show eth0 | grep -c inet; exit 1"),
                new HostConfig.Builder().restartPolicy(new RestartPolicy("on-failure", 1)).build(), null);
        String out = awaitLogs(id, "1\n1\n");
        assertEquals("1\n1\n", out, "both runs had their eth0 address");
    }

    @Test
    void unknownNetwork_failsTheCreate_leavingNothing() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> f.containers().create(
                EngineFixture.request(null, cmd("true"), new HostConfig.Builder().networkMode("nosuch-" + suffix)
                        .build())));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e.getMessage());
        assertTrue(e.getMessage().contains("nosuch-" + suffix), e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    private static ContainerConfig.Builder httpd(String body) {
        return cmd("sh", "-c", "echo " + body + " > /tmp/index.html && httpd -f -p 80 -h /tmp");
    }

    private String start(String name, ContainerConfig.Builder config, HostConfig host, NetworkingConfig networking) {
        CreateContainerRequest.Builder req = EngineFixture.request(name, config, host).toBuilder();
        if (networking != null) {
            req.setNetworkingConfig(ByteString.copyFrom(DockerJson.write(networking)));
        }
        String id = f.containers().create(req.build()).getId();
        created.add(id);
        f.containers().start(ContainerRef.newBuilder().setId(id).build());
        return id;
    }

    private void removeContainers() {
        for (String id : created) {
            f.containers().remove(RemoveContainerRequest.newBuilder().setId(id).setForce(true).build());
        }
        created.clear();
    }

    private String awaitLogs(String id, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String out = "";
        while (System.nanoTime() < deadline) {
            out = EngineContainersTest.logs(f, id, StreamKind.STDOUT) + EngineContainersTest.logs(f, id,
                    StreamKind.STDERR);
            if (out.contains(expected)) {
                return out;
            }
            Thread.sleep(100);
        }
        String log = f.daemonLog().lines().filter(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("dns"))
                .reduce("", (a, b) -> a + "\n" + b);
        throw new AssertionError("no '" + expected + "' in the logs of " + id + ": " + out + "\nberthd: " + log);
    }

    /** GET / on 127.0.0.1:port of the test's netns, from a thread that joined it; retried while httpd starts. */
    private String httpGet(int port) throws Exception {
        return NetnsHttp.get(SYS, netns, port);
    }

    private static Set<String> linkNames(String ipLinkOutput) {
        Set<String> names = new TreeSet<>();
        for (String line : ipLinkOutput.lines().toList()) {
            String[] parts = line.split(": ");
            if (parts.length > 2 && parts[0].matches("\\d+")) {
                names.add(parts[1].replaceAll("@.*", ""));
            }
        }
        return names;
    }

    private static JsonDocument json(Object value) {
        return JsonDocument.newBuilder().setJson(ByteString.copyFrom(DockerJson.write(value))).build();
    }

    private String inNetns(String... argv) {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + netns));
        command.addAll(List.of(argv));
        return run(command.toArray(String[]::new));
    }

    private static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String mounts() throws IOException {
        return Files.readString(Path.of("/proc/self/mountinfo"));
    }

    private String run(String... argv) {
        return commands.run(Duration.ofSeconds(60), List.of(argv)).assertSuccess().stdout();
    }
}
