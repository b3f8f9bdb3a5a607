package dev.berth.manager.engine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.berth.model.ContainerConfig;
import dev.berth.model.HealthConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMergeTest {
    private static final ContainerConfig IMAGE = new ContainerConfig.Builder()
            .entrypoint(List.of("/entry")).cmd(List.of("serve", "--port", "80"))
            .env(List.of("PATH=/image/bin", "LANG=C", "A=image")).labels(Map.of("a", "image", "b", "image"))
            .workingDir("/srv").user("app").stopSignal("SIGQUIT")
            .exposedPorts(Map.of("80/tcp", Map.of())).volumes(Map.of("/data", Map.of()))
            .healthcheck(new HealthConfig(List.of("CMD", "true"), 5L, 3L, null, 2)).build();

    @Test
    void merge_emptyRun_inheritsEverything() {
        ContainerConfig m = SpecBuilder.merge(IMAGE, ContainerConfig.EMPTY);
        assertEquals(List.of("/entry"), m.entrypoint());
        assertEquals(List.of("serve", "--port", "80"), m.cmd());
        assertEquals(IMAGE.env(), m.env());
        assertEquals("/srv", m.workingDir());
        assertEquals("app", m.user());
        assertEquals("SIGQUIT", m.stopSignal());
        assertEquals(IMAGE.healthcheck(), m.healthcheck());
        assertEquals(IMAGE.exposedPorts().keySet(), m.exposedPorts().keySet());
        assertEquals(IMAGE.volumes().keySet(), m.volumes().keySet());
    }

    @Test
    void merge_cmdGiven_keepsImageEntrypoint() {
        ContainerConfig m = SpecBuilder.merge(IMAGE, new ContainerConfig.Builder().cmd(List.of("debug")).build());
        assertEquals(List.of("/entry"), m.entrypoint());
        assertEquals(List.of("debug"), m.cmd());
    }

    @Test
    void merge_entrypointGiven_clearsImageCmd() {
        ContainerConfig m = SpecBuilder.merge(IMAGE, new ContainerConfig.Builder().entrypoint(List.of("/bin/sh"))
                .build());
        assertEquals(List.of("/bin/sh"), m.entrypoint());
        assertNull(m.cmd());
    }

    @Test
    void merge_emptyEntrypointGiven_clearsBoth() {
        ContainerConfig m = SpecBuilder.merge(IMAGE, new ContainerConfig.Builder().entrypoint(List.of()).build());
        assertEquals(List.of(), m.entrypoint());
        assertNull(m.cmd());
    }

    @Test
    void merge_entrypointAndCmdGiven_bothRun() {
        ContainerConfig m = SpecBuilder.merge(IMAGE, new ContainerConfig.Builder().entrypoint(List.of("/bin/sh"))
                .cmd(List.of("-c", "true")).build());
        assertEquals(List.of("/bin/sh", "-c", "true"), SpecBuilder.args(m));
    }

    @Test
    void merge_env_byKeyRunWins() {
        ContainerConfig m = SpecBuilder.merge(IMAGE, new ContainerConfig.Builder()
                .env(List.of("A=run", "B=run")).build());
        assertEquals(List.of("A=run", "B=run", "PATH=/image/bin", "LANG=C"), m.env());
    }

    @Test
    void merge_labelsPortsVolumes_union() {
        ContainerConfig m = SpecBuilder.merge(IMAGE, new ContainerConfig.Builder().labels(Map.of("b", "run", "c", "run"))
                .exposedPorts(Map.of("443/tcp", Map.of())).volumes(Map.of("/logs", Map.of())).build());
        assertEquals(Map.of("a", "image", "b", "run", "c", "run"), m.labels());
        assertEquals(java.util.Set.of("80/tcp", "443/tcp"), m.exposedPorts().keySet());
        assertEquals(java.util.Set.of("/data", "/logs"), m.volumes().keySet());
    }

    @Test
    void merge_setFields_win() {
        ContainerConfig m = SpecBuilder.merge(IMAGE, new ContainerConfig.Builder().workingDir("/tmp").user("0:0")
                .stopSignal("SIGTERM").build());
        assertEquals("/tmp", m.workingDir());
        assertEquals("0:0", m.user());
        assertEquals("SIGTERM", m.stopSignal());
    }

    @Test
    void merge_healthcheck_unsetFieldsFromImage() {
        ContainerConfig m = SpecBuilder.merge(IMAGE, new ContainerConfig.Builder()
                .healthcheck(new HealthConfig(List.of(), 9L, null, null, null)).build());
        assertEquals(new HealthConfig(List.of("CMD", "true"), 9L, 3L, null, 2), m.healthcheck());
    }

    @Test
    void merge_noImage_isTheRun() {
        ContainerConfig run = new ContainerConfig.Builder().cmd(List.of("x")).build();
        assertEquals(run, SpecBuilder.merge(null, run));
    }
}
