package dev.berth.manager.service.introspection;

import java.util.List;
import java.util.Map;

/** One built-in component as containerd's introspection describes its plugins: {@code io.containerd.<kind>.v1}. */
public record PluginInfo(String type, String id, List<String> requires, Map<String, String> exports) {
    public PluginInfo {
        requires = List.copyOf(requires);
        exports = Map.copyOf(exports);
    }
}
