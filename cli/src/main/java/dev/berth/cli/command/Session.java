package dev.berth.cli.command;

import dev.berth.cli.client.Berth;
import dev.berth.sys.FdSyscalls;
import java.nio.file.Path;
import java.util.Map;

/** What every command gets from the root command's options. */
public interface Session {
    String address();

    String namespace();

    Path logDir();

    /** The snapshotter new containers' rootfs is prepared in (ctr's default: overlayfs). */
    String snapshotter();

    /** The CLI's own environment, which {@code run -e K} takes K's value from; read once by Main. */
    Map<String, String> environment();

    /** A connection bound to {@link #namespace()}; the command closes it. */
    Berth connect();

    /** The system calls (the JNI library is loaded on the first call of this method). */
    FdSyscalls syscalls();
}
