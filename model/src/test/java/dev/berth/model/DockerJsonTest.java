package dev.berth.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerJsonTest {

    @Test
    void readsDockersCreateBodyIgnoringUnknownFields() {
        String body = """
                {"Image":"busybox","Cmd":["sh","-c","echo hi"],"Env":["A=1"],"ExposedPorts":{"80/tcp":{}},
                 "Volumes":{"/data":{}},"Labels":{"a":"b"},"SomethingNewer":true,
                 "HostConfig":{"ignored":"here"}}""";
        ContainerConfig c = DockerJson.read(body.getBytes(StandardCharsets.UTF_8), ContainerConfig.class, "config");
        assertEquals("busybox", c.image());
        assertEquals(List.of("sh", "-c", "echo hi"), c.cmd());
        assertEquals(Map.of("80/tcp", Map.of()), c.exposedPorts());
        assertEquals(Map.of("/data", Map.of()), c.volumes());
        assertNull(c.tty());
    }

    @Test
    void writesDockersNamesAndLeavesAbsentFieldsOut() {
        HostConfig h = HostConfig.EMPTY.toBuilder()
                .restartPolicy(new RestartPolicy("on-failure", 3))
                .portBindings(Map.of("80/tcp", List.of(new PortBinding("127.0.0.1", "8080"))))
                .memory(64L << 20)
                .build();
        String json = new String(DockerJson.write(h), StandardCharsets.UTF_8);
        assertEquals("{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}]},"
                + "\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3},\"Memory\":67108864}", json);
        assertEquals(h, DockerJson.read(json.getBytes(StandardCharsets.UTF_8), HostConfig.class, "host config"));
    }

    @Test
    void malformedJsonNamesWhatWasRead() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DockerJson.read("{\"Cmd\": 3".getBytes(StandardCharsets.UTF_8), ContainerConfig.class,
                        "container config"));
        assertEquals(true, e.getMessage().startsWith("invalid container config: "), e.getMessage());
    }
}
