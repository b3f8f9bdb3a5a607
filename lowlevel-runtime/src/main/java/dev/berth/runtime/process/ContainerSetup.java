package dev.berth.runtime.process;

import dev.berth.runtime.namespace.NamespacePlan;
import dev.berth.runtime.rootfs.RootfsPlan;
import dev.berth.runtime.spec.Spec;
import java.util.List;
import java.util.Map;

/** Everything resolved that a new container's init plan is built from. */
public record ContainerSetup(
        NamespacePlan namespaces,
        RootfsPlan rootfs,
        ProcessSetup process,
        String hostname,
        String domainname,
        Map<String, String> sysctl,
        String timeOffsets,
        String execFifo,
        List<Spec.Hook> createContainerHooks,
        List<Spec.Hook> startContainerHooks,
        boolean noPivot,
        boolean newKeyring,
        String id,
        int preserveFds) {}
