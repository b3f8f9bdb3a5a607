package dev.berth.manager.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.manager.image.reference.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Registries} from a {@link RegistryHostsConfig}: one {@link Registry} per host, kept for the life of this
 * object so that its learned challenges and tokens are reused, all sharing one HTTP client, made when the first
 * registry is (its TLS set-up costs berthd's start most of a second). Close it to release the client's
 * connections.
 */
public final class RegistryHosts implements Registries, AutoCloseable {
    /** Docker Hub's API is not served at the name references use. */
    private static final String DOCKER_HUB_API = "registry-1.docker.io";

    private final RegistryHostsConfig config;
    private final DockerConfig credentials;
    private HttpClient client;
    private Transport transport;
    private final ObjectMapper json = new ObjectMapper();
    private final RegistryErrors errors = new RegistryErrors(json);
    private final Clock clock;
    private final Map<String, Registry> byHost = new ConcurrentHashMap<>();

    /**
     * Reads the docker config's credentials now (a later {@code docker login} needs a new instance); a malformed
     * file is INVALID_ARGUMENT naming it.
     */
    public RegistryHosts(RegistryHostsConfig config) throws IOException {
        this(config, Clock.systemUTC());
    }

    RegistryHosts(RegistryHostsConfig config, Clock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        this.credentials = config.dockerConfig().isPresent()
                ? DockerConfig.read(config.dockerConfig().get(), json) : DockerConfig.empty();
    }

    /** The one transport, over the one HTTP client, made on first use. */
    private synchronized Transport transport() {
        if (transport == null) {
            // HTTP/1.1: layers are fetched on parallel connections, not multiplexed through one window.
            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            transport = new Transport(client, config.backoff());
        }
        return transport;
    }

    @Override
    public Registry forHost(ImageReference ref) {
        return byHost.computeIfAbsent(ref.domain(), this::create);
    }

    private Registry create(String domain) {
        List<RegistryEndpoint> mirrors = new ArrayList<>();
        for (String mirror : config.mirrors().getOrDefault(domain, List.of())) {
            URI base = mirrorBase(mirror);
            mirrors.add(endpoint(base, credentials.forHost(base.getAuthority())));
        }
        String apiHost = domain.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_API : domain;
        RegistryEndpoint origin = endpoint(URI.create(scheme(apiHost) + "://" + apiHost),
                credentials.forHost(domain));
        return new HttpRegistry(mirrors, origin, errors, new ManifestFetcher(errors, json));
    }

    private RegistryEndpoint endpoint(URI base, Optional<Credentials> creds) {
        TokenAuthenticator tokens = new TokenAuthenticator(transport(), errors, json, clock);
        return new RegistryEndpoint(base, transport(), new Authenticator(creds, tokens));
    }

    /** {@code http(s)://host[:port][/prefix]} as given, or a bare {@code host[:port]} with the host's scheme. */
    URI mirrorBase(String mirror) {
        String url = mirror.contains("://") ? mirror : scheme(mirror) + "://" + mirror;
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return URI.create(url);
    }

    /** {@code http} for loopback hosts and the configured insecure ones, {@code https} for all others. */
    String scheme(String hostPort) {
        return insecure(hostPort) ? "http" : "https";
    }

    private boolean insecure(String hostPort) {
        String host = hostOf(hostPort);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
                || config.insecure().contains(hostPort) || config.insecure().contains(host);
    }

    /** The host without its port: {@code [::1]:5000} → {@code ::1}, {@code 127.0.0.1:5000} → {@code 127.0.0.1}. */
    static String hostOf(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? hostPort : hostPort.substring(1, close);
        }
        int colon = hostPort.indexOf(':');
        return colon >= 0 && colon == hostPort.lastIndexOf(':') ? hostPort.substring(0, colon) : hostPort;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
