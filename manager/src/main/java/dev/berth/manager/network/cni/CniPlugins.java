package dev.berth.manager.network.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.errdefs.BerthException;
import dev.berth.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The CNI runtime side (libcni's {@code CNIConfig}): runs a configuration list's plugins as the spec 1.0 says.
 * ADD runs them in order, each getting the previous one's result as {@code prevResult}; DEL runs them in reverse
 * order, each getting the cached result. Each plugin is an executable found in the plugin directories, run with
 * the {@code CNI_*} environment and its configuration (the list's {@code name} and {@code cniVersion} added, the
 * runtime's capability arguments in {@code runtimeConfig} for the capabilities it declares) on stdin.
 *
 * <p>Plugins run in the caller's network namespace (the host side of a bridge lives there); the thread that calls
 * decides which one.
 */
public final class CniPlugins {

    private static final Log LOG = Log.of(CniPlugins.class);
    private static final long TIMEOUT_SECONDS = 60;

    private final List<Path> pluginDirs;

    public CniPlugins(List<Path> pluginDirs) {
        this.pluginDirs = List.copyOf(pluginDirs);
    }

    /** ADD through the whole list; the last plugin's result. On a failure nothing is undone here: call DEL. */
    public JsonNode add(ConfList list, RuntimeConf rt) {
        JsonNode prev = null;
        for (ObjectNode plugin : list.plugins()) {
            prev = invoke("ADD", list, plugin, rt, prev);
            if (prev == null) {
                throw new CniException(plugin.path("type").asText(), "ADD", 0, "no result");
            }
        }
        return prev;
    }

    /**
     * DEL through the list in reverse order with {@code cached} (the ADD's result, if it got that far) as every
     * plugin's {@code prevResult}. Every plugin runs even if one fails; the first failure is thrown at the end.
     */
    public void del(ConfList list, RuntimeConf rt, Optional<JsonNode> cached) {
        CniException first = null;
        List<ObjectNode> reversed = new ArrayList<>(list.plugins());
        java.util.Collections.reverse(reversed);
        for (ObjectNode plugin : reversed) {
            try {
                invoke("DEL", list, plugin, rt, cached.orElse(null));
            } catch (CniException e) {
                LOG.warn("cni del failed", "container", rt.containerId(), "network", list.name(), "error",
                        e.getMessage());
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private JsonNode invoke(String command, ConfList list, ObjectNode plugin, RuntimeConf rt, JsonNode prev) {
        String type = plugin.path("type").asText();
        ObjectNode conf = plugin.deepCopy();
        conf.put("cniVersion", list.cniVersion());
        conf.put("name", list.name());
        ObjectNode runtimeConfig = ConfList.JSON.createObjectNode();
        JsonNode caps = plugin.path("capabilities");
        for (Map.Entry<String, Object> arg : rt.capabilityArgs().entrySet()) {
            if (caps.path(arg.getKey()).asBoolean(false)) {
                runtimeConfig.set(arg.getKey(), ConfList.JSON.valueToTree(arg.getValue()));
            }
        }
        if (!runtimeConfig.isEmpty()) {
            conf.set("runtimeConfig", runtimeConfig);
        }
        if (prev != null) {
            conf.set("prevResult", prev);
        }
        Path binary = find(type);
        ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        String path = env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", rt.containerId());
        env.put("CNI_NETNS", rt.netns());
        env.put("CNI_IFNAME", rt.ifName());
        env.put("CNI_ARGS", rt.cniArgs());
        env.put("CNI_PATH", pluginDirs.stream().map(Path::toString).collect(Collectors.joining(":")));
        byte[] out;
        int status;
        try {
            Process p = pb.start();
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(ConfList.JSON.writeValueAsBytes(conf));
            }
            try (InputStream stdout = p.getInputStream()) {
                out = stdout.readAllBytes();
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new CniException(type, command, 0, "timed out after " + TIMEOUT_SECONDS + " s");
            }
            status = p.exitValue();
        } catch (IOException e) {
            throw new CniException(type, command, 0, "run " + binary + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.unavailable("cni " + command + " " + type + ": interrupted");
        }
        if (status != 0) {
            throw new CniException(type, command, errorCode(out), errorMessage(out, status));
        }
        if (!command.equals("ADD")) {
            return null;
        }
        try {
            return ConfList.JSON.readTree(out);
        } catch (IOException e) {
            throw new CniException(type, command, 0, "invalid result: " + e.getMessage());
        }
    }

    private Path find(String type) {
        if (type.contains("/") || type.equals("..") || type.equals(".")) {
            throw new CniException(type, "find", 0, "invalid plugin type");
        }
        for (Path dir : pluginDirs) {
            Path candidate = dir.resolve(type);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new CniException(type, "find", 0, "failed to find plugin \"" + type + "\" in path " + pluginDirs);
    }

    private static int errorCode(byte[] out) {
        try {
            return ConfList.JSON.readTree(out).path("code").asInt(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String errorMessage(byte[] out, int status) {
        try {
            JsonNode err = ConfList.JSON.readTree(out);
            if (err != null && err.has("msg")) {
                String details = err.path("details").asText("");
                return err.path("msg").asText() + (details.isEmpty() ? "" : ": " + details);
            }
        } catch (IOException e) {
            // not the spec's error document: report what it wrote
        }
        String text = new String(out, java.nio.charset.StandardCharsets.UTF_8).strip();
        return "exit status " + status + (text.isEmpty() ? "" : ": " + text);
    }
}
