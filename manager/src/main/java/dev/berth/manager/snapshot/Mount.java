package dev.berth.manager.snapshot;

import java.util.List;

/** One mount a snapshot needs, as containerd's {@code mount.Mount}: {@code mount -t type -o options source target}. */
public record Mount(String type, String source, List<String> options) {
    public Mount {
        options = List.copyOf(options);
    }
}
