package dev.berth.it.manager;

import dev.berth.it.manager.support.BerthdProcess;
import java.util.Optional;

/**
 * The ctr acceptance suite against berthd driving containerd's own shim ({@code containerd-shim-runc-v2}) and
 * Debian's runc: berthd alone, with containerd's lower half. berthd runs with a private /run, since that shim
 * keeps its sockets under /run/containerd.
 */
class CtrAgainstBerthdRuncShimTest extends CtrAgainstBerthd {

    @Override
    protected BerthdProcess.Options options() {
        return new BerthdProcess.Options(null, true);
    }

    @Override
    protected Optional<String> runtime() {
        return Optional.of("/usr/bin/containerd-shim-runc-v2");
    }
}
