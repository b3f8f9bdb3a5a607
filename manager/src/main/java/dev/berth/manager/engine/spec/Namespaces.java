package dev.berth.manager.engine.spec;

import dev.berth.api.errdefs.BerthException;
import dev.berth.model.HostConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The container's namespaces from docker's modes: private by default (mount, network, UTS, PID, IPC; the cgroup
 * namespace only with {@code --cgroupns private}, docker's default on cgroup v1 being the host's), the host's with
 * {@code host}. The network namespace of any other mode is the one {@link SpecRequest#networkNamespace} names
 * (the container's sandbox, or another container's); joining another container's namespace ({@code
 * container:NAME}) is not supported yet for the other kinds.
 */
record Namespaces(boolean hostNetwork, boolean hostUts, boolean hostPid, boolean hostIpc, boolean privateCgroup) {

    static Namespaces of(HostConfig h) {
        // the network mode names a network or another container: the engine's networking resolves it
        String network = h.networkMode() == null ? "" : h.networkMode();
        String uts = mode("--uts", h.utsMode());
        String pid = mode("--pid", h.pidMode());
        String ipc = mode("--ipc", h.ipcMode(), "private", "shareable", "none");
        String cgroup = mode("--cgroupns", h.cgroupnsMode(), "private");
        return new Namespaces(network.equals("host"), uts.equals("host"), pid.equals("host"), ipc.equals("host"),
                cgroup.equals("private"));
    }

    List<String> types() {
        List<String> out = new ArrayList<>(List.of("mount"));
        if (!hostNetwork) {
            out.add("network");
        }
        if (!hostUts) {
            out.add("uts");
        }
        if (!hostPid) {
            out.add("pid");
        }
        if (!hostIpc) {
            out.add("ipc");
        }
        if (privateCgroup) {
            out.add("cgroup");
        }
        return out;
    }

    /** The mode, "" for the default; "host" and {@code others} are accepted, anything else refused. */
    private static String mode(String flag, String value, String... others) {
        String v = value == null ? "" : value;
        if (v.isEmpty() || v.equals("host") || List.of(others).contains(v)) {
            return v;
        }
        if (v.startsWith("container:")) {
            throw BerthException.unimplemented(flag + " " + v + ": joining another container's namespace is not"
                    + " supported yet");
        }
        throw BerthException.invalidArgument("invalid " + flag + " " + v);
    }
}
