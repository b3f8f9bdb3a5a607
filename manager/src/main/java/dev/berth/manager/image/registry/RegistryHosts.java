package dev.berth.manager.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.errdefs.BerthException;
import dev.berth.api.errdefs.ErrorKind;
import dev.berth.manager.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
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
public final class RegistryHosts implements Registries, RegistryLogin, AutoCloseable {
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

    /**
     * berthd's own client of a host is kept, with what it learned; one with a call's credentials is made for that
     * call (its first request pays the registry's 401 again).
     */
    @Override
    public Registry forHost(ImageReference ref, Optional<Credentials> callCredentials) {
        if (callCredentials.isPresent()) {
            return create(ref.domain(), callCredentials);
        }
        return byHost.computeIfAbsent(ref.domain(), domain -> create(domain, credentials.forHost(domain)));
    }

    private Registry create(String domain, Optional<Credentials> originCredentials) {
        List<RegistryEndpoint> mirrors = new ArrayList<>();
        for (String mirror : config.mirrors().getOrDefault(domain, List.of())) {
            URI base = mirrorBase(mirror);
            mirrors.add(endpoint(base, credentials.forHost(base.getAuthority())));
        }
        return new HttpRegistry(mirrors, endpoint(origin(domain), originCredentials), errors,
                new ManifestFetcher(errors, json));
    }

    /** {@code http(s)://host[:port]} of the registry {@code domain} names (Docker Hub's API host for docker.io). */
    private URI origin(String domain) {
        String apiHost = domain.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_API : domain;
        return URI.create(scheme(apiHost) + "://" + apiHost);
    }

    /**
     * docker's login check ({@code registry/auth.go}, loginV2): {@code GET /v2/} through the usual authentication,
     * so Basic and the token flow are both answered; 200 is success, anything else a refusal in docker's words.
     */
    @Override
    public void login(String serverAddress, Credentials login) throws IOException {
        String domain = loginDomain(serverAddress);
        URI v2 = URI.create(origin(domain) + "/v2/");
        String op = "login " + domain;
        HttpResponse<InputStream> response;
        try {
            response = endpoint(origin(domain), Optional.of(login))
                    .send(RegistryEndpoint.Call.of("GET", v2, List.of(), op));
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.FAILED_PRECONDITION) { // the token server refused the credentials
                throw new BerthException(ErrorKind.UNAUTHENTICATED, "Get \"" + v2 + "\": unauthorized: "
                        + e.getMessage());
            }
            throw e;
        }
        int status = response.statusCode();
        Transport.discard(response);
        if (status == 401 || status == 403) {
            throw new BerthException(ErrorKind.UNAUTHENTICATED, "login attempt to " + v2 + " failed with status: "
                    + status + (status == 401 ? " Unauthorized" : " Forbidden"));
        }
        if (status != 200) {
            throw BerthException.unavailable("login attempt to " + v2 + " failed with status: " + status);
        }
    }

    /** The registry a login names: {@code 127.0.0.1:5000}, {@code https://host/v1/} → host; empty is Docker Hub. */
    static String loginDomain(String serverAddress) {
        String s = serverAddress.strip();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        return s.isEmpty() || s.equals("index.docker.io") || s.equals(DOCKER_HUB_API) ? ImageReference.DOCKER_HUB : s;
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
