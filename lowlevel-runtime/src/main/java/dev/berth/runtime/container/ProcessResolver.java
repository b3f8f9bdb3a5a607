package dev.berth.runtime.container;

import dev.berth.runtime.process.CapabilitySets;
import dev.berth.runtime.process.ProcessSetup;
import dev.berth.runtime.security.Capabilities;
import dev.berth.runtime.security.CompiledSeccomp;
import dev.berth.runtime.security.Personality;
import dev.berth.runtime.security.Rlimits;
import dev.berth.runtime.security.SeccompCompiler;
import dev.berth.runtime.spec.Linux;
import dev.berth.runtime.spec.Spec;
import dev.berth.runtime.spec.SpecException;
import dev.berth.sys.LibSeccomp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Resolves a spec process into what berth-init executes: capability masks, rlimit numbers, compiled seccomp. */
final class ProcessResolver {
    private ProcessResolver() {}

    static ProcessSetup resolve(Spec.Process p, Linux linux) {
        int lastCap;
        try {
            lastCap = Capabilities.kernelLastCap();
        } catch (IOException e) {
            throw new UncheckedIOException("read /proc/sys/kernel/cap_last_cap", e);
        }
        CapabilitySets caps;
        if (p.capabilities() == null) {
            // no capabilities section: keep what the user has (all the runtime holds for root, none for others),
            // as runc does; a sandbox may hold fewer than the kernel knows
            long all = OwnCapabilities.permitted();
            long user = p.user().uid() == 0 ? all : 0;
            caps = new CapabilitySets(all, user, user, 0, 0);
        } else {
            Capabilities.Masks m = Capabilities.masks(p.capabilities(), lastCap);
            // the kernel raises an ambient capability only if it is permitted and inheritable; runc warns and
            // goes on for the others, so they are left out here
            long ambient = m.ambient() & m.permitted() & m.inheritable();
            caps = new CapabilitySets(m.bounding(), m.effective(), m.permitted(), m.inheritable(), ambient);
        }
        List<ProcessSetup.Rlimit> rlimits = new ArrayList<>();
        for (Rlimits.Limit l : Rlimits.resolve(p.rlimits())) {
            rlimits.add(new ProcessSetup.Rlimit(l.resource(), l.soft(), l.hard()));
        }
        ProcessSetup.SeccompProgram seccomp = null;
        if (linux != null && linux.seccomp() != null) {
            CompiledSeccomp compiled = new SeccompCompiler(LibSeccomp.load()).compile(linux.seccomp());
            seccomp = new ProcessSetup.SeccompProgram(compiled.flags(), compiled.program());
        }
        Long personality = linux == null || linux.personality() == null ? null
                : (long) Personality.persona(linux.personality());
        if (p.user().username() != null && !p.user().username().isEmpty()) {
            throw new SpecException("process.user.username is a Windows field");
        }
        return new ProcessSetup(p.args(), p.env(), p.cwd(), p.user().uid(), p.user().gid(), p.user().additionalGids(),
                p.user().umask(), caps, List.copyOf(rlimits), p.noNewPrivileges(), p.oomScoreAdj(), personality, seccomp, p.terminal(),
                p.consoleHeight(), p.consoleWidth());
    }
}
