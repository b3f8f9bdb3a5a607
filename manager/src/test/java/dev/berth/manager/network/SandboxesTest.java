package dev.berth.manager.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.model.EndpointSettings;
import dev.berth.model.Network;
import dev.berth.model.NetworkCreate;
import dev.berth.model.NetworkSettings;
import dev.berth.model.PortBinding;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SandboxesTest extends NetworkFixture {

    private static final String NS = "default";

    private static String id(char c) {
        return String.valueOf(c).repeat(64);
    }

    @Test
    void setUp_twoContainersOnUserNetwork_reachEachOtherByAddress() throws Exception {
        Network net = netns.call(() -> networks.create(NetworkCreate.bridge("front")));
        Sandbox a = netns.call(() -> sandboxes.setUp(NS, id('a'), "a", new SandboxRequest("front", Map.of(), Map.of())));
        Sandbox b = netns.call(() -> sandboxes.setUp(NS, id('b'), "b", new SandboxRequest("front",
                Map.of("front", EndpointSettings.request(List.of("web"), null)), Map.of())));
        EndpointSettings ea = a.settings().networks().get("front");
        EndpointSettings eb = b.settings().networks().get("front");
        String subnet = net.ipam().config().get(0).subnet();
        assertTrue(subnet.startsWith("172.18."), subnet);
        assertTrue(ea.ipAddress().startsWith("172.18.0."), ea.ipAddress());
        assertEquals("172.18.0.1", ea.gateway());
        assertEquals(16, ea.ipPrefixLen());
        assertTrue(ea.macAddress().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), ea.macAddress());
        assertEquals(List.of("web", "bbbbbbbbbbbb"), eb.aliases());
        assertEquals(net.id(), eb.networkId());
        assertEquals(a.netns().orElseThrow().toString(), a.settings().sandboxKey());

        String out = inContainer(a.netns().orElseThrow(), "busybox", "ping", "-c", "1", "-W", "2", eb.ipAddress());
        assertTrue(out.contains("1 packets received"), out);
        assertTrue(inContainer(a.netns().orElseThrow(), "ip", "-o", "addr", "show", "eth0")
                .contains(ea.ipAddress() + "/16"));
        assertTrue(inContainer(a.netns().orElseThrow(), "ip", "route").contains("default via 172.18.0.1"));
        CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
            try {
                return inContainer(b.netns().orElseThrow(), "busybox", "timeout", "10", "busybox", "nc", "-l",
                        "-p", "7000");
            } catch (Exception e) {
                return e.toString();
            }
        });
        String sent = "";
        for (int i = 0; i < 50 && sent.isEmpty(); i++) {
            try {
                PrivateNetns.run(List.of("sh", "-c", "echo hello over nc | nsenter --net=" + a.netns().orElseThrow()
                        + " busybox nc -w 2 " + eb.ipAddress() + " 7000"));
                sent = "ok";
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        assertEquals("hello over nc", served.get(15, TimeUnit.SECONDS).strip());

        Network inspected = netns.call(() -> networks.inspect("front"));
        assertEquals(2, inspected.containers().size());
        assertEquals(ea.ipAddress() + "/16", inspected.containers().get(id('a')).ipv4Address());
        BerthException busy = assertThrows(BerthException.class, () -> netns.call(() -> {
            networks.remove("front");
            return null;
        }));
        assertEquals(ErrorKind.FAILED_PRECONDITION, busy.kind());

        netns.call(() -> {
            sandboxes.tearDown(NS, id('a'));
            sandboxes.tearDown(NS, id('b'));
            return null;
        });
        assertEquals("", leftovers());
        netns.call(() -> {
            networks.remove("front");
            return null;
        });
        assertFalse(netns.exec("ip", "-o", "link").contains("br-" + net.id().substring(0, 12)));
    }

    @Test
    void forceDisconnect_endpointOfAGoneContainer_isReleasedByName_andAnUnknownOneIsNotFound() throws Exception {
        netns.call(() -> networks.create(NetworkCreate.bridge("stale")));
        netns.call(() -> sandboxes.setUp(NS, id('a'), "gone", new SandboxRequest("stale", Map.of(), Map.of())));
        BerthException unknown = assertThrows(BerthException.class, () -> netns.call(() -> {
            sandboxes.forceDisconnect(NS, "nosuch", "stale");
            return null;
        }));
        assertEquals(ErrorKind.NOT_FOUND, unknown.kind());

        netns.call(() -> {
            sandboxes.forceDisconnect(NS, "gone", "stale");
            return null;
        });

        assertTrue(netns.call(() -> networks.inspect("stale")).containers().isEmpty());
        netns.call(() -> {
            sandboxes.tearDown(NS, id('a'));
            return null;
        });
        assertEquals("", leftovers());
    }

    @Test
    void setUp_defaultBridge_gets172_17AndStaticIpIsRefused() throws Exception {
        Sandbox a = netns.call(() -> sandboxes.setUp(NS, id('a'), "a", new SandboxRequest("", Map.of(), Map.of())));
        NetworkSettings s = a.settings();
        assertTrue(s.ipAddress().startsWith("172.17.0."), s.ipAddress());
        assertEquals("172.17.0.1", s.gateway());
        assertTrue(netns.exec("ip", "-o", "link", "show", "berth0").contains("berth0"));
        BerthException e = assertThrows(BerthException.class, () -> netns.call(() -> sandboxes.setUp(NS, id('b'),
                "b", new SandboxRequest("bridge", Map.of("bridge", EndpointSettings.request(List.of(),
                        "172.17.0.50")), Map.of()))));
        assertEquals("user specified IP address is supported on user defined networks only", e.getMessage());
        netns.call(() -> {
            sandboxes.tearDown(NS, id('a'));
            return null;
        });
        assertEquals("", leftovers());
    }

    @Test
    void setUp_staticIp_isUsedAndOutsideOrTakenIsRefused() throws Exception {
        netns.call(() -> networks.create(new NetworkCreate("lan", null, "bridge", null, null, null,
                new Network.Ipam(null, null, List.of(new Network.IpamConfig("10.77.0.0/24", "10.77.0.128/25",
                        null, null))), null, null, null)));
        Sandbox a = netns.call(() -> sandboxes.setUp(NS, id('a'), "a", new SandboxRequest("lan",
                Map.of("lan", EndpointSettings.request(null, "10.77.0.200")), Map.of())));
        assertEquals("10.77.0.200", a.settings().networks().get("lan").ipAddress());
        Sandbox b = netns.call(() -> sandboxes.setUp(NS, id('b'), "b", new SandboxRequest("lan", Map.of(), Map.of())));
        String dynamic = b.settings().networks().get("lan").ipAddress();
        assertTrue(Integer.parseInt(dynamic.substring("10.77.0.".length())) > 128, dynamic + " is in the ip-range");
        BerthException outside = assertThrows(BerthException.class, () -> netns.call(() -> sandboxes.setUp(NS,
                id('c'), "c", new SandboxRequest("lan", Map.of("lan", EndpointSettings.request(null, "10.77.0.5")),
                        Map.of()))));
        assertEquals("no configured subnet or ip-range contain the IP address 10.77.0.5", outside.getMessage());
        BerthException taken = assertThrows(BerthException.class, () -> netns.call(() -> sandboxes.setUp(NS,
                id('c'), "c", new SandboxRequest("lan", Map.of("lan", EndpointSettings.request(null,
                        "10.77.0.200")), Map.of()))));
        assertEquals("Address already in use", taken.getMessage());
        netns.call(() -> {
            sandboxes.tearDown(NS, id('a'));
            sandboxes.tearDown(NS, id('b'));
            return null;
        });
        assertEquals("", leftovers());
    }

    @Test
    void setUp_publishedPort_answersOnLoopbackAndTakenPortIsDockersError() throws Exception {
        netns.call(() -> networks.create(NetworkCreate.bridge("pub")));
        Sandbox a = netns.call(() -> sandboxes.setUp(NS, id('a'), "a", new SandboxRequest("pub", Map.of(),
                Map.of("8080/tcp", List.of(new PortBinding("127.0.0.1", ""))))));
        List<PortBinding> bound = a.settings().ports().get("8080/tcp");
        assertEquals("127.0.0.1", bound.get(0).hostIp());
        int hostPort = Integer.parseInt(bound.get(0).hostPort());
        assertTrue(hostPort >= PortAllocator.FIRST_EPHEMERAL && hostPort <= PortAllocator.LAST_EPHEMERAL);

        ServerSocket listener = listenIn(a.netns().orElseThrow(), 8080);
        CompletableFuture<Void> serve = CompletableFuture.runAsync(() -> {
            try (listener; Socket s = listener.accept(); OutputStream out = s.getOutputStream()) {
                out.write("hello from the container\n".getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String answer = netns.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", hostPort), 5000);
                s.setSoTimeout(5000);
                try (InputStream in = s.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        });
        serve.get(10, TimeUnit.SECONDS);
        assertEquals("hello from the container\n", answer);

        BerthException taken = assertThrows(BerthException.class, () -> netns.call(() -> sandboxes.setUp(NS,
                id('b'), "b", new SandboxRequest("pub", Map.of(), Map.of("80/tcp",
                        List.of(new PortBinding("", Integer.toString(hostPort))))))));
        assertEquals("Bind for 0.0.0.0:" + hostPort + " failed: port is already allocated", taken.getMessage());
        assertEquals(ErrorKind.ALREADY_EXISTS, taken.kind());
        Sandbox b = netns.call(() -> sandboxes.setUp(NS, id('b'), "b", new SandboxRequest("pub", Map.of(),
                Map.of("80/tcp", List.of(new PortBinding("", hostPort + "-" + (hostPort + 1)))))));
        assertEquals(List.of(new PortBinding("0.0.0.0", Integer.toString(hostPort + 1))),
                b.settings().ports().get("80/tcp"), "a range gives its first free port");
        netns.call(() -> {
            sandboxes.tearDown(NS, id('a'));
            sandboxes.tearDown(NS, id('b'));
            return null;
        });
        assertEquals("", leftovers());
    }

    @Test
    void setUp_sameContainerTwiceAtOnce_oneWinsAndNothingLeaks() throws Exception {
        netns.call(() -> networks.create(NetworkCreate.bridge("race")));
        List<String> outcomes = netns.call(() -> {
            // threads started here inherit the test namespace; both race for one container
            List<CompletableFuture<String>> runs = new java.util.ArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 2; i++) {
                CompletableFuture<String> f = new CompletableFuture<>();
                Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        sandboxes.setUp(NS, id('a'), "a", new SandboxRequest("race", Map.of(), Map.of()));
                        f.complete("ok");
                    } catch (BerthException e) {
                        f.complete(e.kind().name());
                    } catch (java.io.IOException | InterruptedException e) {
                        f.complete(e.toString());
                    }
                });
                runs.add(f);
            }
            go.countDown();
            List<String> out = new java.util.ArrayList<>();
            for (CompletableFuture<String> f : runs) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out.stream().sorted().toList();
        });
        assertEquals(List.of("FAILED_PRECONDITION", "ok"), outcomes);
        assertEquals(1, db.networks().endpointsOf(NS, id('a')).size());
        netns.call(() -> {
            sandboxes.tearDown(NS, id('a'));
            return null;
        });
        assertEquals("", leftovers());
    }

    /** A listening socket opened from a thread that joined the container's netns (the socket stays there). */
    private static ServerSocket listenIn(Path ns, int port) throws Exception {
        CompletableFuture<ServerSocket> made = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                SYS.joinNetns(ns.toString());
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress("0.0.0.0", port));
                made.complete(s);
            } catch (java.io.IOException | RuntimeException e) {
                made.completeExceptionally(e);
            }
        });
        t.join();
        return made.get();
    }
}
