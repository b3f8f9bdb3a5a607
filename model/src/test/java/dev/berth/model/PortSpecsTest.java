package dev.berth.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortSpecsTest {

    @Test
    void parseAll_dockersForms() {
        assertEquals(Map.of("80/tcp", List.of(new PortBinding("", ""))), PortSpecs.parseAll(List.of("80")));
        assertEquals(Map.of("80/tcp", List.of(new PortBinding("", "8080"))), PortSpecs.parseAll(List.of("8080:80")));
        assertEquals(Map.of("80/tcp", List.of(new PortBinding("127.0.0.1", "18080"))),
                PortSpecs.parseAll(List.of("127.0.0.1:18080:80")));
        assertEquals(Map.of("53/udp", List.of(new PortBinding("127.0.0.1", ""))),
                PortSpecs.parseAll(List.of("127.0.0.1::53/udp")));
        assertEquals(Map.of("80/tcp", List.of(new PortBinding("::1", "8080"))),
                PortSpecs.parseAll(List.of("[::1]:8080:80")));
        assertEquals(Map.of("80/tcp", List.of(new PortBinding("", "8000")), "81/tcp",
                List.of(new PortBinding("", "8001"))), PortSpecs.parseAll(List.of("8000-8001:80-81")));
        assertEquals(Map.of("80/tcp", List.of(new PortBinding("", "8080"), new PortBinding("127.0.0.1", "9090"))),
                PortSpecs.parseAll(List.of("8080:80", "127.0.0.1:9090:80")));
    }

    @Test
    void parse_badInput_isDockersError() {
        assertEquals("invalid containerPort: http", assertThrows(IllegalArgumentException.class,
                () -> PortSpecs.parseAll(List.of("8080:http"))).getMessage());
        assertEquals("invalid hostPort: 70000", assertThrows(IllegalArgumentException.class,
                () -> PortSpecs.parseAll(List.of("70000:80"))).getMessage());
        assertEquals("invalid proto: icmp", assertThrows(IllegalArgumentException.class,
                () -> PortSpecs.parseAll(List.of("80/icmp"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PortSpecs.parseAll(List.of("8000-8002:80-81")));
    }
}
