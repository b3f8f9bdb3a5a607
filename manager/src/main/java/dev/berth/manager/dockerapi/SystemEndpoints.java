package dev.berth.manager.dockerapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.services.engine.v1.Empty;
import dev.berth.api.services.engine.v1.EventsRequest;
import dev.berth.api.services.engine.v1.JsonDocument;
import dev.berth.api.services.transfer.v1.LoginRequest;
import dev.berth.manager.dockerapi.http.Chunks;
import dev.berth.model.DockerJson;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /_ping}, {@code /version}, {@code /info}, {@code /events}, {@code /system/df}, {@code /auth}. */
final class SystemEndpoints {

    private final Stubs stubs;
    private final SystemFacts facts;

    SystemEndpoints(Stubs stubs, SystemFacts facts) {
        this.stubs = stubs;
        this.facts = facts;
    }

    void addTo(Router r) {
        r.add("GET", "/_ping", this::ping)
                .add("HEAD", "/_ping", this::ping)
                .add("GET", "/version", this::version)
                .add("GET", "/info", this::info)
                .add("GET", "/events", this::events)
                .add("GET", "/system/df", c -> c.json(200, stubs.system().df(Empty.getDefaultInstance())
                        .getJson().toByteArray()))
                .add("POST", "/auth", this::auth);
    }

    /**
     * docker login's check: the registry is asked with the credentials, nothing is kept (docker's CLI stores them
     * and sends them with each pull and push); a refusal is 401 with docker's message.
     */
    private void auth(ApiCall c) {
        RegistryAuthHeader.AuthConfig config = RegistryAuthHeader.parse(c.body(), "auth configuration");
        if (!config.hasCredentials()) {
            throw ApiException.badRequest("login " + config.serverAddress() + ": username is required");
        }
        String status = stubs.transfer().login(LoginRequest.newBuilder().setServerAddress(config.serverAddress())
                .setAuth(config.auth()).build()).getStatus();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Status", status);
        out.put("IdentityToken", "");
        c.json(200, out);
    }

    private void ping(ApiCall c) {
        c.reply().send(200, "text/plain; charset=utf-8", "OK".getBytes(StandardCharsets.UTF_8),
                Map.of("Builder-Version", "1", "Cache-Control", "no-cache, no-store, must-revalidate",
                        "Pragma", "no-cache"));
    }

    private void version(ApiCall c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("Platform", Map.of("Name", "Berth"));
        v.put("Components", List.of(Map.of("Name", "Engine", "Version", DockerApi.ENGINE_VERSION,
                "Details", Map.of("ApiVersion", DockerApi.API_VERSION, "MinAPIVersion", DockerApi.MIN_API_VERSION,
                        "Os", "linux", "Arch", facts.arch(), "KernelVersion", facts.kernelVersion()))));
        v.put("Version", DockerApi.ENGINE_VERSION);
        v.put("ApiVersion", DockerApi.API_VERSION);
        v.put("MinAPIVersion", DockerApi.MIN_API_VERSION);
        v.put("Os", "linux");
        v.put("Arch", facts.arch());
        v.put("KernelVersion", facts.kernelVersion());
        c.json(200, v);
    }

    /** The engine's info with what docker's clients expect and the engine leaves to the API (swarm, registry). */
    private void info(ApiCall c) {
        byte[] json;
        try {
            json = stubs.system().info(Empty.getDefaultInstance()).getJson().toByteArray();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != io.grpc.Status.Code.UNIMPLEMENTED) {
                throw e;
            }
            json = "{}".getBytes(StandardCharsets.UTF_8); // an engine without Info yet: what the API knows
        }
        ObjectNode info;
        try {
            JsonNode n = DockerJson.mapper().readTree(json);
            info = n instanceof ObjectNode o ? o : DockerJson.mapper().createObjectNode();
        } catch (IOException e) {
            throw new ApiException(500, "info: engine answered invalid JSON: " + e.getMessage());
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("Name", facts.hostname());
        defaults.put("ServerVersion", DockerApi.ENGINE_VERSION);
        defaults.put("OSType", "linux");
        defaults.put("OperatingSystem", "Berth");
        defaults.put("Architecture", System.getProperty("os.arch").equals("amd64") ? "x86_64"
                : System.getProperty("os.arch"));
        defaults.put("KernelVersion", facts.kernelVersion());
        defaults.put("NCPU", Runtime.getRuntime().availableProcessors());
        defaults.put("MemTotal", facts.memTotal());
        defaults.put("DockerRootDir", facts.rootDir().toString());
        defaults.put("IndexServerAddress", "https://index.docker.io/v1/");
        defaults.put("LoggingDriver", "json-file");
        defaults.put("CgroupDriver", "cgroupfs");
        defaults.put("DefaultRuntime", "runc");
        defaults.put("Swarm", Map.of("NodeID", "", "NodeAddr", "", "LocalNodeState", "inactive",
                "ControlAvailable", false, "Error", "", "RemoteManagers", List.of()));
        defaults.put("SecurityOptions", List.of("name=seccomp,profile=default"));
        defaults.put("Labels", List.of());
        defaults.put("ExperimentalBuild", false);
        JsonNode extra = DockerJson.mapper().valueToTree(defaults);
        extra.properties().forEach(e -> {
            if (!info.has(e.getKey())) {
                info.set(e.getKey(), e.getValue());
            }
        });
        c.json(200, DockerJson.write(info));
    }

    /** docker's events as JSON lines, the headers flushed at once; until the client leaves or {@code until}. */
    private void events(ApiCall c) {
        EventsRequest.Builder req = EventsRequest.newBuilder()
                .putAllFilters(Filters.parse(c.query("filters")));
        Times.parse("since", c.query("since")).ifPresent(req::setSince);
        Times.parse("until", c.query("until")).ifPresent(req::setUntil);
        Iterator<JsonDocument> events = stubs.system().events(req.build());
        Chunks out = c.reply().stream(200, "application/json", Map.of());
        try {
            while (events.hasNext()) {
                if (!out.write(line(events.next().getJson().toByteArray()))) {
                    return;
                }
            }
        } catch (StatusRuntimeException e) {
            // the client left (the call is cancelled with it) or the engine stopped: the stream just ends
        }
        out.end();
    }

    static byte[] line(byte[] json) {
        byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }
}
