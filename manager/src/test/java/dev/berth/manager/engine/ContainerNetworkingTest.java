package dev.berth.manager.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.model.ContainerConfig;
import dev.berth.model.HostConfig;
import dev.berth.model.PortBinding;
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
}
