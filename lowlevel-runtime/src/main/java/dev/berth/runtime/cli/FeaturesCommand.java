package dev.berth.runtime.cli;

import dev.berth.runtime.rootfs.MountOptions;
import dev.berth.runtime.security.Capabilities;
import dev.berth.runtime.security.SeccompFeatures;
import dev.berth.runtime.spec.Features;
import dev.berth.sys.LibSeccomp;
import dev.berth.runtime.spec.Json;
import java.util.List;

/** {@code features}: what this runtime supports, as runc's features document. */
final class FeaturesCommand implements Command {
    @Override
    public int run(Context ctx, List<String> argv) {
        Command.requireArgs(new Flags().parse(argv, false), "features", 0, 0);
        ctx.out.println(Json.writePretty(Features.document(MountOptions.known(), Capabilities.known(),
                SeccompFeatures.probe(LibSeccomp.load())), 4));
        return 0;
    }
}
