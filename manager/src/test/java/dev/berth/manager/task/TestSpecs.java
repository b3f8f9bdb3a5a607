package dev.berth.manager.task;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Minimal OCI specs for the contract tests: {@code runc spec}'s defaults, no terminal, a given cgroup. */
final class TestSpecs {
    static final String PROCESS_TYPE_URL = "types.containerd.io/opencontainers/runtime-spec/1/Process";
    private static final String CAPS = "[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"]";

    private TestSpecs() {}

    static byte[] spec(String cgroupsPath, List<String> args) {
        String json = """
                {"ociVersion":"1.0.2-dev",
                 "process":%s,
                 "root":{"path":"rootfs","readonly":true},
                 "hostname":"task",
                 "mounts":[
                  {"destination":"/proc","type":"proc","source":"proc"},
                  {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
                  {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620"]},
                  {"destination":"/dev/shm","type":"tmpfs","source":"shm","options":["nosuid","noexec","nodev","mode=1777","size=65536k"]},
                  {"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]}],
                 "linux":{"cgroupsPath":%s,
                  "resources":{"devices":[{"allow":false,"access":"rwm"}]},
                  "namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]}}
                """.formatted(process(args), quote(cgroupsPath));
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** An exec'd process's spec as containerd sends it. */
    static Any execProcess(List<String> args) {
        return Any.newBuilder().setTypeUrl(PROCESS_TYPE_URL)
                .setValue(ByteString.copyFromUtf8(process(args))).build();
    }

    private static String process(List<String> args) {
        return """
                {"terminal":false,"user":{"uid":0,"gid":0},"args":%s,
                 "env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"cwd":"/",
                 "capabilities":{"bounding":%s,"effective":%s,"permitted":%s,"ambient":%s},
                 "noNewPrivileges":true}""".formatted(args.stream().map(TestSpecs::quote)
                .collect(Collectors.joining(",", "[", "]")), CAPS, CAPS, CAPS, CAPS);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
