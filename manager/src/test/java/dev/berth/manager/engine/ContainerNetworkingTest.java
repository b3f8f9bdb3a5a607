package dev.berth.manager.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.model.ContainerConfig;
import dev.berth.model.DockerJson;
import dev.berth.model.HostConfig;
import dev.berth.model.PortBinding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerNetworkingTest {

    @Test
    void ownAddress_replacesTheLoopbackLineOfTheContainersNames() {
        String hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.0.0.9\tdb\n"
                + "127.0.0.1\tabc123\n";
        assertEquals("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n10.0.0.9\tdb\n"
                + "172.18.0.2\tabc123\n", ContainerNetworking.ownAddress(hosts, "172.18.0.2"));
    }

    @Test
    void nameservers_replaceTheHostsAndKeepSearchAndOptions() {
        assertEquals("nameserver 172.18.0.1\nsearch lan\noptions ndots:2\n", ContainerNetworking.nameservers(
                "nameserver 10.0.0.1\nsearch lan\n  nameserver 10.0.0.2\noptions ndots:2\n", List.of("172.18.0.1")));
    }

    @Test
    void published_bindsExposedPortsWithPublishAll_andKeepsExplicitBindings() {
        ContainerConfig config = new ContainerConfig.Builder().exposedPorts(Map.of("80/tcp", Map.of(),
                "53/udp", Map.of(), "8080", Map.of())).build();
        HostConfig host = new HostConfig.Builder().publishAllPorts(true)
                .portBindings(Map.of("80/tcp", List.of(new PortBinding("127.0.0.1", "18080")))).build();
        assertEquals(Map.of("80/tcp", List.of(new PortBinding("127.0.0.1", "18080")),
                        "53/udp", List.of(new PortBinding("", "")), "8080/tcp", List.of(new PortBinding("", ""))),
                ContainerNetworking.published(config, host));
        assertEquals(Map.of(), ContainerNetworking.published(config, HostConfig.EMPTY));
    }

    @Test
    void sharedEtc_bindsTheOthersHostsResolvConfAndHostname_andLeavesOtherMounts() throws Exception {
        Path own = Path.of("/s/own");
        Path other = Path.of("/s/other");
        String spec = "{\"mounts\":[{\"destination\":\"/etc/hosts\",\"source\":\"/s/own/hosts\"},"
                + "{\"destination\":\"/etc/resolv.conf\",\"source\":\"/s/own/resolv.conf\"},"
                + "{\"destination\":\"/etc/hostname\",\"source\":\"/s/own/hostname\"},"
                + "{\"destination\":\"/etc/hosts\",\"source\":\"/user/hosts\"},"
                + "{\"destination\":\"/data\",\"source\":\"/s/own/hosts\"}]}";
        var out = DockerJson.mapper().readTree(ContainerNetworking.sharedEtc(
                spec.getBytes(StandardCharsets.UTF_8), own, other)).path("mounts");
        assertEquals("/s/other/hosts", out.path(0).path("source").asText());
        assertEquals("/s/other/resolv.conf", out.path(1).path("source").asText());
        assertEquals("/s/other/hostname", out.path(2).path("source").asText());
        assertEquals("/user/hosts", out.path(3).path("source").asText(), "a user's bind stays");
        assertEquals("/s/own/hosts", out.path(4).path("source").asText(), "another destination stays");
    }
}
