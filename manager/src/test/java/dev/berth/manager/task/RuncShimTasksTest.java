package dev.berth.manager.task;

import com.google.protobuf.Any;
import dev.berth.api.runtime.runc.options.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The contract with containerd's own {@code containerd-shim-runc-v2} (Debian's containerd 1.6) as {@code
 * io.containerd.runc.v2}, driving {@code /usr/sbin/runc}.
 *
 * <p>That shim puts its socket in the hard-coded {@code /run/containerd/s/} and runc's state in {@code
 * /run/containerd/runc/}, which a test must not touch; so the binary the table names is a wrapper that runs it in
 * a private mount namespace whose {@code /run} is the test's own directory, and rewrites the address {@code start}
 * prints to where that socket is seen from here.
 */
class RuncShimTasksTest extends ShimTasksContract {
    @Override
    ShimBinaries binaries(Path tmp) throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path wrapper = tmp.resolve("containerd-shim-runc-v2");
        String inner = "/usr/bin/unshare --mount --propagation private /bin/sh -c "
                + "'mount --bind \"$0\" /run && exec /usr/bin/containerd-shim-runc-v2 \"$@\"' \"$RUN\" \"$@\"";
        Files.writeString(wrapper, """
                #!/bin/sh
                RUN=%s
                for last; do :; done
                if [ "$last" = start ]; then
                    out=$(%s) || exit $?
                    printf '%%s' "$out" | sed "s#^unix:///run/#unix://$RUN/#"
                else
                    exec %s
                fi
                """.formatted(run, inner, inner));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return new ShimBinaries(Map.of(ShimBinaries.RUNC_V2, wrapper), "");
    }

    @Override
    Optional<Any> options() {
        return Optional.of(Any.newBuilder().setTypeUrl("containerd.runc.v1.Options")
                .setValue(Options.newBuilder().setBinaryName("/usr/sbin/runc").build().toByteString()).build());
    }

    @Override
    boolean takesOverAfterShimDeath() {
        return false;
    }
}
