package dev.berth.it.engine;

import static dev.berth.it.engine.EngineFixture.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.berth.api.services.engine.v1.ContainerRef;
import dev.berth.api.services.engine.v1.CreateContainerRequest;
import dev.berth.api.services.engine.v1.FilterValues;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.engine.v1.ListContainersRequest;
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
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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
    private PrivateNetwork network;
    private EngineFixture f;
    private final List<String> created = new ArrayList<>();
    private final String suffix = HexFormat.of().formatHex(new byte[] {(byte) System.nanoTime(),
            (byte) (System.nanoTime() >> 8)});

    @BeforeAll
    void start() throws Exception {
        network = PrivateNetwork.create("berth-nw-");
        f = EngineFixture.start(network.name());
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (f != null) {
                f.close();
            }
        } finally {
            network.close();
        }
    }

    /**
     * Removes this test's containers, then checks no veth, netns mount, cache entry, IP allocation or CNI rule is
     * left.
     */
    @AfterEach
    void removeAndCheck() throws Exception {
        removeContainers();
        assertEquals("", network.leftovers(f.dir()));
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

    @Test
    void containerMode_joinsTheOthersNetns_andSharesItsHostsResolvConfAndHostname() throws Exception {
        String other = start(null, cmd("sleep", "120"), new HostConfig.Builder().build(), null);
        String ip = f.inspect(other).path("NetworkSettings").path("IPAddress").asText();
        String hostname = other.substring(0, 12);
        String id = start(null, cmd("sh", "-c", "ip -4 -o addr show eth0; echo host=$(hostname); cat /etc/hosts;"
                + " echo DONE; sleep 120"), new HostConfig.Builder().networkMode("container:" + other).build(), null);
        String out = awaitLogs(id, "DONE");
        assertTrue(out.contains("inet " + ip + "/"), "the other's eth0: " + out);
        assertTrue(out.contains("host=" + hostname), "the other's hostname: " + out);
        assertTrue(out.contains(ip + "\t" + hostname), "the other's hosts file, with its address: " + out);
        JsonNode inspected = f.inspect(id);
        assertEquals(hostname, inspected.path("Config").path("Hostname").asText());
        assertEquals("container:" + other, inspected.path("HostConfig").path("NetworkMode").asText());
        assertEquals("", inNetns("ip", "-o", "link", "show", "type", "veth").lines()
                .filter(l -> l.contains(id.substring(0, 12))).reduce("", String::concat), "no veth of its own");
    }

    @Test
    void containerMode_otherNotRunning_failsTheStart_andAHostnameConflicts() {
        String other = f.create(null, cmd("sleep", "60"), new HostConfig.Builder().build());
        created.add(other);
        String id = f.create(null, cmd("true"), new HostConfig.Builder().networkMode("container:" + other).build());
        created.add(id);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> f.containers().start(ContainerRef.newBuilder().setId(id).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), e.getMessage());
        assertTrue(e.getMessage().contains("cannot join network of a non running container: " + other),
                e.getMessage());
        StatusRuntimeException conflict = assertThrows(StatusRuntimeException.class, () -> f.containers().create(
                EngineFixture.request(null, cmd("true").hostname("mine"), new HostConfig.Builder()
                        .networkMode("container:" + other).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, conflict.getStatus().getCode());
        assertTrue(conflict.getMessage().contains("conflicting options: hostname and the network mode"),
                conflict.getMessage());
    }

    @Test
    void list_showsPublishedAndExposedPorts_andTheNetworks() throws Exception {
        String net = "ls-" + suffix;
        f.networks().create(json(Map.of("Name", net, "Driver", "bridge")));
        try {
            String id = start(null, httpd("listed").exposedPorts(Map.of("80/tcp", Map.of(), "443/tcp", Map.of())),
                    new HostConfig.Builder().networkMode(net).portBindings(Map.of("80/tcp",
                            List.of(new PortBinding("127.0.0.1", "18082")))).build(), null);
            JsonNode row = null;
            for (JsonNode c : f.list(ListContainersRequest.newBuilder().build())) {
                if (c.path("Id").asText().equals(id)) {
                    row = c;
                }
            }
            assertTrue(row != null, "listed");
            assertEquals(2, row.path("Ports").size(), row.toString());
            JsonNode published = row.path("Ports").path(0).has("PublicPort") ? row.path("Ports").path(0)
                    : row.path("Ports").path(1);
            assertEquals("127.0.0.1", published.path("IP").asText());
            assertEquals(18082, published.path("PublicPort").asInt());
            assertEquals(80, published.path("PrivatePort").asInt());
            assertEquals("tcp", published.path("Type").asText());
            JsonNode endpoint = row.path("NetworkSettings").path("Networks").path(net);
            assertEquals(f.inspect(id).path("NetworkSettings").path("Networks").path(net).path("IPAddress").asText(),
                    endpoint.path("IPAddress").asText(), row.toString());
            assertTrue(endpoint.path("IPAddress").asText().startsWith("172."), row.toString());
            assertEquals(List.of(id), listed(Map.of("network", List.of(net), "publish", List.of("80"),
                    "expose", List.of("440-450/tcp"))));
            assertEquals(List.of(), listed(Map.of("network", List.of("bridge"))));
            assertEquals(List.of(), listed(Map.of("network", List.of(net), "publish", List.of("443"))));
        } finally {
            removeContainers();
            f.networks().remove(NetworkRef.newBuilder().setId(net).build());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The ids {@code list} answers with docker's {@code filters} (running containers of this test). */
    private List<String> listed(Map<String, List<String>> filters) throws Exception {
        ListContainersRequest.Builder req = ListContainersRequest.newBuilder();
        filters.forEach((k, v) -> req.putFilters(k, FilterValues.newBuilder()
                .addAllValues(v).build()));
        List<String> ids = new ArrayList<>();
        f.list(req.build()).forEach(c -> ids.add(c.path("Id").asText()));
        return ids;
    }

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

    private String httpGet(int port) throws Exception {
        return network.httpGet("127.0.0.1", port);
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
        return network.exec(argv);
    }
}
