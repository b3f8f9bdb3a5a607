package dev.berth.runtime.container;

import dev.berth.runtime.spec.Json;
import dev.berth.runtime.spec.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the runtime keeps about a container between invocations, saved as {@code <root>/<id>/state.json}:
 * the init process (pid and start time, to detect pid reuse), the bundle, the cgroup paths, the namespaces to
 * join for exec, and the config as it was at create (its hooks run at delete).
 */
record ContainerState(
        String id,
        int initPid,
        long initStartTime,
        String bundle,
        String rootfs,
        String created,
        Map<String, String> annotations,
        Map<String, String> cgroupPaths,
        Map<String, String> namespaces,
        Map<String, Object> config) {

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("init_process_pid", (long) initPid);
        m.put("init_process_start", initStartTime);
        m.put("bundle", bundle);
        m.put("rootfs", rootfs);
        m.put("created", created);
        m.put("annotations", annotations);
        m.put("cgroup_paths", cgroupPaths);
        m.put("namespaces", namespaces);
        m.put("config", config);
        return Json.write(m);
    }

    static ContainerState fromJson(String text) {
        JsonObject o = JsonObject.parse(text);
        return new ContainerState(o.string("id"), (int) o.number("init_process_pid"), o.number("init_process_start"),
                o.string("bundle"), o.string("rootfs"), o.string("created"), o.stringMap("annotations"),
                o.stringMap("cgroup_paths"), o.stringMap("namespaces"), o.object("config").raw());
    }
}
