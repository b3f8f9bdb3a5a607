package dev.berth.manager.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host settings without a registry: schemes, mirrors, docker config credentials and challenge parsing. */
class RegistryHostsTest {
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void scheme_loopbackAndConfiguredInsecure_http() throws IOException {
        RegistryHostsConfig config = new RegistryHostsConfig(Optional.empty(),
                List.of("registry.lan:5000", "plain.example"), Map.of());
        try (RegistryHosts hosts = new RegistryHosts(config)) {
            assertEquals("http", hosts.scheme("127.0.0.1:5000"));
            assertEquals("http", hosts.scheme("127.0.0.53"));
            assertEquals("http", hosts.scheme("localhost:5000"));
            assertEquals("http", hosts.scheme("[::1]:5000"));
            assertEquals("http", hosts.scheme("registry.lan:5000"));
            assertEquals("http", hosts.scheme("plain.example:443"));
            assertEquals("https", hosts.scheme("registry.lan:5001"));
            assertEquals("https", hosts.scheme("docker.io"));
            assertEquals("https", hosts.scheme("128.0.0.1:5000"));
            assertEquals(URI.create("http://127.0.0.1:5001"), hosts.mirrorBase("127.0.0.1:5001"));
            assertEquals(URI.create("https://mirror.example"), hosts.mirrorBase("mirror.example"));
            assertEquals(URI.create("https://m.example/prefix"), hosts.mirrorBase("https://m.example/prefix/"));
        }
    }

    @Test
    void dockerConfig_authUsernamePasswordAndDockerHubKey() throws IOException {
        String auth = Base64.getEncoder().encodeToString("alice:pa:ss".getBytes());
        Path file = Files.writeString(tmp.resolve("config.json"), """
                {"auths": {
                  "127.0.0.1:5000": {"auth": "%s"},
                  "https://registry.lan:5443/v2/": {"username": "bob", "password": "pw"},
                  "https://index.docker.io/v1/": {"auth": "%s"},
                  "empty.example": {}
                }, "credsStore": "desktop"}""".formatted(auth,
                Base64.getEncoder().encodeToString("hub:token".getBytes())));
        DockerConfig config = DockerConfig.read(file, json);
        assertEquals(Optional.of(new Credentials("alice", "pa:ss")), config.forHost("127.0.0.1:5000"));
        assertEquals(Optional.of(new Credentials("bob", "pw")), config.forHost("registry.lan:5443"));
        assertEquals(Optional.of(new Credentials("hub", "token")), config.forHost("docker.io"));
        assertEquals(Optional.empty(), config.forHost("empty.example"));
        assertEquals(Optional.empty(), config.forHost("127.0.0.1:5001"));
    }

    @Test
    void dockerConfig_missingIsEmptyMalformedIsInvalid() throws IOException {
        assertEquals(Optional.empty(), DockerConfig.read(tmp.resolve("absent.json"), json).forHost("docker.io"));
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"auths\": ");
        BerthException e = assertThrows(BerthException.class, () -> DockerConfig.read(bad, json));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().startsWith("read docker config " + bad + ": "), e.getMessage());
    }

    @Test
    void challenge_parsesBasicAndBearer() {
        assertEquals(Optional.of(new Challenge.Basic()), Challenge.parse("Basic realm=\"berth-test\""));
        assertEquals(Optional.of(new Challenge.Bearer("https://auth.docker.io/token",
                        Optional.of("registry.docker.io"), List.of("repository:library/busybox:pull"))),
                Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:library/busybox:pull\""));
        assertEquals(Optional.of(new Challenge.Bearer("http://h/t?a=b", Optional.empty(), List.of())),
                Challenge.parse("Negotiate abc, Bearer realm=\"http://h/t?a=b\""));
        assertEquals(Optional.empty(), Challenge.parse("Negotiate"));
        assertEquals(Optional.empty(), Challenge.parse(""));
    }
}
