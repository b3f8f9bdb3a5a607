package dev.berth.it.manager;

import dev.berth.it.manager.support.BerthdProcess;
import java.util.Optional;

/**
 * The ctr acceptance suite against berthd with its defaults: berth-shim driving berth-runtime in-process, the
 * overlayfs snapshotter. The same tests run green against containerd first ({@link CtrAgainstContainerdTest}).
 */
class CtrAgainstBerthdTest extends CtrAgainstBerthd {

    @Override
    protected BerthdProcess.Options options() {
        return BerthdProcess.Options.defaults();
    }

    @Override
    protected Optional<String> runtime() {
        return Optional.empty();
    }
}
