package dev.berth.manager.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.model.Network;
import dev.berth.model.NetworkCreate;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworksTest extends NetworkFixture {

    private static NetworkCreate subnet(String name, String subnet, String gateway, String range) {
        return new NetworkCreate(name, null, "bridge", null, null, null, new Network.Ipam(null, null,
                List.of(new Network.IpamConfig(subnet, range, gateway, null))), null, null, null);
    }

    private BerthException refused(NetworkCreate req) {
        return assertThrows(BerthException.class, () -> netns.call(() -> networks.create(req)));
    }

    @Test
    void ensureBuiltins_bridgeHostNone_exist() throws Exception {
        List<Network> all = netns.call(() -> networks.list(Map.of()));
        assertEquals(List.of("bridge", "host", "none"), all.stream().map(Network::name).toList());
        Network bridge = all.get(0);
        assertEquals("172.17.0.0/16", bridge.ipam().config().get(0).subnet());
        assertEquals("172.17.0.1", bridge.ipam().config().get(0).gateway());
        assertEquals("berth0", bridge.options().get("com.docker.network.bridge.name"));
        assertEquals(64, bridge.id().length());
        assertEquals("local", bridge.scope());
        assertEquals("null", all.get(2).driver());
        // a second start keeps them
        open();
        assertEquals(3, netns.call(() -> networks.list(Map.of())).size());
    }

    @Test
    void ensureBuiltins_hostRoutes172_17_bridgeTakesTheNextFreeSlash16() throws Exception {
        // a fresh database over a namespace that routes 172.17.0.0/16 (the bridge of the fixture's is unused)
        db.close();
        Files.delete(dir.resolve("root/metadata.db"));
        db = dev.berth.manager.metadata.MetadataDb.open(dir.resolve("root/metadata.db"),
                dev.berth.manager.content.LocalContentStore.open(dir.resolve("root/content")), Map.of());
        netns.exec("ip", "link", "add", "berthtest0", "type", "bridge");
        netns.exec("ip", "addr", "add", "172.17.5.1/16", "dev", "berthtest0");
        netns.exec("ip", "link", "set", "berthtest0", "up");
        open();
        assertEquals("172.18.0.0/16", netns.call(() -> networks.inspect("bridge")).ipam().config().get(0).subnet());
    }

    @Test
    void create_badInput_isDockersError() throws Exception {
        netns.call(() -> networks.create(subnet("one", "10.10.0.0/16", null, null)));
        assertEquals("Pool overlaps with other one on this address space",
                refused(subnet("two", "10.10.128.0/24", null, null)).getMessage());
        assertEquals("Pool overlaps with other one on this address space",
                refused(subnet("two", "172.17.3.0/24", null, null)).getMessage());
        assertEquals("no matching subnet for gateway 10.11.0.1",
                refused(subnet("two", "10.11.1.0/24", "10.11.0.1", null)).getMessage());
        assertEquals("no matching subnet for range 10.11.2.0/24",
                refused(subnet("two", "10.11.1.0/24", null, "10.11.2.0/24")).getMessage());
        BerthException dup = refused(NetworkCreate.bridge("one"));
        assertEquals(ErrorKind.ALREADY_EXISTS, dup.kind());
        assertEquals("network with name one already exists", dup.getMessage());
        assertEquals(ErrorKind.INVALID_ARGUMENT, refused(subnet("two", "10.11.1.0/33", null, null)).kind());
        assertEquals(ErrorKind.INVALID_ARGUMENT, refused(NetworkCreate.bridge("bad name")).kind());
        assertEquals(ErrorKind.INVALID_ARGUMENT, refused(new NetworkCreate("two", null, "macvlan", null, null,
                null, null, null, null, null)).kind());
        assertEquals(ErrorKind.INVALID_ARGUMENT, refused(new NetworkCreate("two", null, null, null, null, null,
                null, null, Map.of("mtu", "12"), null)).kind());
        for (String builtin : List.of("bridge", "host", "none")) {
            BerthException e = assertThrows(BerthException.class, () -> netns.call(() -> {
                networks.remove(builtin);
                return null;
            }));
            assertEquals(builtin + " is a pre-defined network and cannot be removed", e.getMessage());
        }
        BerthException missing = assertThrows(BerthException.class, () -> netns.call(() -> networks.inspect("nope")));
        assertEquals(ErrorKind.NOT_FOUND, missing.kind());
        assertEquals("network nope not found", missing.getMessage());
    }

    @Test
    void create_conflist_followsTheRecordAndBerthdsMasqueradeSwitch() throws Exception {
        Network n = netns.call(() -> networks.create(new NetworkCreate("web", null, null, null, null, null,
                new Network.Ipam(null, null, List.of(new Network.IpamConfig("10.20.0.0/16", "10.20.1.0/24",
                        "10.20.0.254", null))), null, Map.of("masquerade", "true", "mtu", "1400"),
                Map.of("tier", "front"))));
        assertEquals(Map.of("masquerade", "true", "mtu", "1400"), n.options());
        JsonNode list = new ObjectMapper().readTree(options().confDir().resolve("web.conflist").toFile());
        assertEquals("1.0.0", list.path("cniVersion").asText());
        assertEquals("web", list.path("name").asText());
        List<String> types = list.path("plugins").findValuesAsText("type");
        assertEquals(List.of("bridge", "host-local", "portmap", "firewall", "tuning"), types);
        JsonNode bridge = list.path("plugins").get(0);
        assertEquals("br-" + n.id().substring(0, 12), bridge.path("bridge").asText());
        assertFalse(bridge.path("ipMasq").asBoolean(true), "berthd's switch is off in tests");
        assertTrue(bridge.path("isGateway").asBoolean());
        assertTrue(bridge.path("hairpinMode").asBoolean());
        assertEquals(1400, bridge.path("mtu").asInt());
        JsonNode range = bridge.path("ipam").path("ranges").get(0).get(0);
        assertEquals("10.20.0.0/16", range.path("subnet").asText());
        assertEquals("10.20.0.254", range.path("gateway").asText());
        assertEquals("10.20.1.1", range.path("rangeStart").asText());
        assertEquals("10.20.1.254", range.path("rangeEnd").asText());
        assertEquals(options().ipamDir().toString(), bridge.path("ipam").path("dataDir").asText());
        JsonNode portmap = list.path("plugins").get(1);
        assertTrue(portmap.path("snat").asBoolean());
        assertTrue(portmap.path("capabilities").path("portMappings").asBoolean());

        // with berthd's switch on, the network's option decides
        NetworkOptions on = new NetworkOptions(options().root(), options().state(), options().pluginDirs(),
                "berth0", true, false);
        assertTrue(new Conflists(on).of(BridgeNetwork.of(n)).plugins().get(0).path("ipMasq").asBoolean());
    }

    @Test
    void list_filters_areDockers() throws Exception {
        netns.call(() -> networks.create(new NetworkCreate("alpha", null, null, null, null, null, null, null, null,
                Map.of("env", "prod"))));
        Network beta = netns.call(() -> networks.create(NetworkCreate.bridge("beta")));
        assertEquals(List.of("alpha", "beta"), names(Map.of("type", List.of("custom"))));
        assertEquals(List.of("bridge", "host", "none"), names(Map.of("type", List.of("builtin"))));
        assertEquals(List.of("alpha"), names(Map.of("label", List.of("env=prod"))));
        assertEquals(List.of("alpha"), names(Map.of("label", List.of("env"))));
        assertEquals(List.of("beta"), names(Map.of("id", List.of(beta.id().substring(0, 6)))));
        assertEquals(List.of("alpha"), names(Map.of("name", List.of("lph"))));
        assertEquals(List.of("host"), names(Map.of("driver", List.of("host"))));
        db.networks().addEndpoint(beta.id(), "default", "c".repeat(64), "{\"Endpoint\":{}, \"Ports\":{}}");
        assertEquals(List.of("bridge", "host", "none", "alpha"), names(Map.of("dangling", List.of("true"))));
        assertEquals(List.of("alpha"), netns.call(() -> networks.prune(Map.of())));
        BerthException busy = assertThrows(BerthException.class, () -> netns.call(() -> {
            networks.remove("beta");
            return null;
        }));
        assertEquals(ErrorKind.FAILED_PRECONDITION, busy.kind());
        assertTrue(busy.getMessage().endsWith("has active endpoints"), busy.getMessage());
        db.networks().removeEndpoint(beta.id(), "default", "c".repeat(64));
        assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(BerthException.class,
                () -> names(Map.of("colour", List.of("red")))).kind());
    }

    private List<String> names(Map<String, List<String>> filters) throws Exception {
        return netns.call(() -> networks.list(filters)).stream().map(Network::name).toList();
    }
}
