package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.manager.support.BerthdProcess;
import dev.berth.it.support.CgroupFs;
import dev.berth.it.support.CliResult;
import dev.berth.it.support.CommandLine;
import dev.berth.testsupport.LocalRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * berthd's transfer service against a local registry in each of its three modes — anonymous, Basic (htpasswd) and
 * Bearer token — with credentials from a docker {@code config.json} named by {@code [berth.registry] config}:
 * {@code berth push} of the loaded busybox archive, {@code berth pull} into a fresh namespace, {@code berth run}.
 * A second berthd holds wrong credentials and must get "authentication required" with exit code 125.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BerthRegistryAuthTest {
    private static final Duration CALL = Duration.ofSeconds(60);
    private static final String USER = "berth";
    private static final String PASSWORD = "s3cret-pass";

    private Path dir;
    private Path busyboxArchive;
    private final Map<String, LocalRegistry> registries = new LinkedHashMap<>();
    private BerthdProcess berthd;
    private BerthdProcess wrongCredentials;
    private CommandLine commandLine;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "bauth-");
        commandLine = new CommandLine(Files.createDirectories(dir.resolve("calls")));
        busyboxArchive = dir.resolve("busybox.tar");
        commandLine.run(CALL, List.of(BerthCliFixture.REPO.resolve("scripts/build-busybox-archive.sh").toString(),
                busyboxArchive.toString())).assertSuccess();
        registries.put("anonymous", LocalRegistry.anonymous());
        registries.put("basic", LocalRegistry.basic(USER, PASSWORD));
        registries.put("bearer", LocalRegistry.bearer(USER, PASSWORD));
        berthd = berthd("good", PASSWORD);
        wrongCredentials = berthd("wrong", "not-" + PASSWORD);
    }

    /** A berthd whose docker config.json gives {@code password} for the basic and bearer registries. */
    private BerthdProcess berthd(String name, String password) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        String auth = Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
        Path config = Files.writeString(d.resolve("config.json"), """
                {"auths":{"%s":{"auth":"%s"},"%s":{"auth":"%s"}}}""".formatted(
                registries.get("basic").host(), auth, registries.get("bearer").host(), auth));
        return BerthdProcess.start(BerthCliFixture.REPO, d, new CommandLine(Files.createDirectories(d.resolve("daemon"))),
                new BerthdProcess.Options("[berth.registry]\nconfig = \"" + config + "\"\n", false));
    }

    @AfterAll
    void stop() throws IOException {
        try {
            for (BerthdProcess b : Arrays.asList(berthd, wrongCredentials)) {
                if (b != null) {
                    b.close();
                }
            }
            for (LocalRegistry r : registries.values()) {
                r.close();
            }
        } finally {
            if (dir != null) {
                BerthdProcess.reapLeftovers(dir);
                for (String ns : namespaces) {
                    CgroupFs.removeLeftovers("/" + ns);
                }
                BerthCliFixture.deleteTree(dir);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"anonymous", "basic", "bearer"})
    void pushThenPullIntoAFreshNamespace_runs(String mode) {
        String ref = registries.get(mode).host() + "/busybox:" + mode;
        String source = loadBusybox(berthd, ref);
        CliResult push = berth(berthd, source, "push", ref);
        assertEquals(0, push.exitCode(), push.toString());

        String fresh = namespace();
        CliResult pull = berth(berthd, fresh, "pull", ref).assertSuccess();
        assertTrue(pull.stdout().contains(ref), pull.toString());
        assertEquals("hello " + mode + "\n",
                berth(berthd, fresh, "run", "--rm", ref, "echo", "hello", mode).assertSuccess().stdout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "bearer"})
    void wrongCredentials_failWithAuthenticationRequired(String mode) {
        String ref = registries.get(mode).host() + "/busybox:wrong";
        String ns = loadBusybox(wrongCredentials, ref);
        for (CliResult r : List.of(berth(wrongCredentials, ns, "push", ref),
                berth(wrongCredentials, namespace(), "pull", ref))) {
            assertEquals(125, r.exitCode(), r.toString());
            assertTrue(r.stderr().contains("authentication required"), r.toString());
        }
    }

    /** Loads the busybox archive into a new namespace and tags it {@code ref}; the namespace. */
    private String loadBusybox(BerthdProcess daemon, String ref) {
        String ns = namespace();
        CliResult load = berth(daemon, ns, "load", "-i", busyboxArchive.toString()).assertSuccess();
        String loaded = load.stdout().lines().filter(l -> l.startsWith("Loaded image: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no image loaded: " + load)).substring("Loaded image: ".length());
        berth(daemon, ns, "tag", loaded, ref).assertSuccess();
        return ns;
    }

    private String namespace() {
        byte[] r = new byte[4];
        ThreadLocalRandom.current().nextBytes(r);
        String ns = "auth-it-" + HexFormat.of().formatHex(r);
        namespaces.add(ns);
        return ns;
    }

    private CliResult berth(BerthdProcess daemon, String namespace, String... args) {
        List<String> argv = new ArrayList<>(List.of(BerthCliFixture.REPO.resolve("bin/berth").toString(),
                "--address", daemon.socket().toString(), "-n", namespace,
                "--log-dir", dir.resolve("logs").resolve(namespace).toString()));
        argv.addAll(Arrays.asList(args));
        return commandLine.run(CALL, argv);
    }
}
