package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.support.CliResult;
import dev.berth.testsupport.BusyboxImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The same Dockerfile built by berthd and by Debian's buildah 1.28 (offline: vfs storage in the test's directory,
 * {@code --pull=never --network none --isolation oci}, the base loaded from the same busybox OCI archive) gives the
 * same file tree (names, types, modes, owners, sizes, link targets; not times), the same config fields and the
 * same history {@code created_by} list. buildah's own {@code io.buildah.version} label and what its RUN leaves
 * of its runtime ({@code /etc/hostname}, {@code /run}) are left out. Where buildah 1.28 differs from docker's
 * classic builder (which berthd follows) on WORKDIR: buildah creates the directories it lacks owned by the USER in
 * effect (docker: by root, whatever USER says), and marks the WORKDIR's history entry {@code empty_layer} with the
 * directories in a later layer (docker commits the step: a layer of its own when it had to create the directory,
 * an empty one when not); the test checks the first difference is still there and compares the rest.
 */
class BuildahComparisonTest extends BerthCliFixture {
    private static final Duration BUILD = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("Env", "Cmd", "Entrypoint", "WorkingDir", "User",
            "ExposedPorts", "Labels", "Volumes");

    @Test
    void sameDockerfile_sameTreeConfigAndHistory() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/buildah")), "buildah is not installed");
        Path archive = testDir.resolve("busybox.tar");
        BusyboxImage.writeArchive(BusyboxImage.DEFAULT_NAME, archive);
        berth("load", "-i", archive.toString()).assertSuccess();
        Path ctx = Files.createDirectories(testDir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), """
                ARG BASE
                FROM ${BASE} AS build
                RUN mkdir -p /out && echo artifact > /out/a.txt
                FROM ${BASE}
                ENV APP=/opt/app MODE=test
                WORKDIR /opt/app
                COPY conf/ ./conf/
                COPY run.sh /usr/local/bin/run.sh
                COPY --from=build /out/a.txt /opt/app/a.txt
                RUN chmod 755 /usr/local/bin/run.sh && mkdir -p /var/data && echo x > /var/data/x
                EXPOSE 8080 53/udp
                VOLUME /var/data
                LABEL org.example.name=cmp version=1
                WORKDIR /srv/made/deep
                USER 1000
                WORKDIR /home/u1000
                ENTRYPOINT ["/usr/local/bin/run.sh"]
                CMD ["serve"]
                """);
        Files.createDirectories(ctx.resolve("conf/sub"));
        Files.writeString(ctx.resolve("conf/app.conf"), "k=v\n");
        Files.writeString(ctx.resolve("conf/sub/more.conf"), "more\n");
        Files.writeString(ctx.resolve("run.sh"), "#!/bin/sh\necho \"$@\"\n");

        commandLine.run(BUILD, argv("build", "--build-arg", "BASE=busybox", "-t", "cmp:berth", ctx.toString()))
                .assertSuccess();
        Path berthOci = testDir.resolve("berth-oci.tar");
        berth("save", "--format", "oci", "-o", berthOci.toString(), "cmp:berth").assertSuccess();
        berth("create", "--name", "cmp-tree", "cmp:berth").assertSuccess();
        Path berthTree = testDir.resolve("berth-tree.tar");
        shell(String.join(" ", argv("cp", "cmp-tree:/", "-")) + " > " + berthTree).assertSuccess();
        berth("rm", "cmp-tree").assertSuccess();

        Path root = testDir.resolve("buildah");
        List<String> buildah = List.of("buildah", "--root", root.resolve("root").toString(), "--runroot",
                root.resolve("run").toString(), "--storage-driver", "vfs");
        try {
            String base = run(buildah, "pull", "-q", "oci-archive:" + archive).stdout().strip();
            run(buildah, "tag", base, "localhost/cmp-base:1");
            run(buildah, "bud", "--pull=never", "--network", "none", "--isolation", "oci", "--build-arg",
                    "BASE=localhost/cmp-base:1", "-t", "cmp:buildah", ctx.toString());
            Path buildahOci = testDir.resolve("buildah-oci.tar");
            run(buildah, "push", "cmp:buildah", "oci-archive:" + buildahOci);
            String container = run(buildah, "from", "--pull=never", "cmp:buildah").stdout().strip();
            String mount = run(buildah, "mount", container).stdout().strip();
            Path buildahTree = testDir.resolve("buildah-tree.tar");
            shell("tar --numeric-owner -C " + mount + " -cf " + buildahTree + " .").assertSuccess();
            run(buildah, "umount", container);
            run(buildah, "rm", container);

            JsonNode ours = config(berthOci);
            JsonNode theirs = config(buildahOci);
            // buildah labels what it builds with its own version; docker's builder (and berthd) add nothing
            ((com.fasterxml.jackson.databind.node.ObjectNode) theirs.path("config").path("Labels"))
                    .remove("io.buildah.version");
            for (String f : FIELDS) {
                assertEquals(theirs.path("config").path(f), ours.path("config").path(f), f);
            }
            assertEquals(createdBy(theirs), createdBy(ours));
            TreeSet<String> theirTree = tree(buildahTree);
            // what buildah's RUN leaves of its runtime in the image: its /etc/hostname mount point and /run
            theirTree.removeIf(e -> e.endsWith(" etc/hostname") || e.endsWith(" run"));
            // buildah made WORKDIR /home/u1000 (after USER 1000) owned by 1000; docker and berthd make it root's
            for (String made : List.of("home", "home/u1000")) {
                assertTrue(theirTree.remove("drwxr-xr-x 1000/1000 - " + made), made + " in " + theirTree);
                theirTree.add("drwxr-xr-x 0/0 - " + made);
            }
            TreeSet<String> ourTree = tree(berthTree);
            TreeSet<String> onlyTheirs = new TreeSet<>(theirTree);
            onlyTheirs.removeAll(ourTree);
            TreeSet<String> onlyOurs = new TreeSet<>(ourTree);
            onlyOurs.removeAll(theirTree);
            assertEquals(onlyTheirs, onlyOurs, "entries only buildah's tree has, then only berthd's");
        } finally {
            commandLine.run(BUILD, List.of("sh", "-c", String.join(" ", buildah) + " rm --all; "
                    + String.join(" ", buildah) + " rmi --all --force; umount -R " + root + " 2>/dev/null; rm -rf "
                    + root));
        }
    }

    private CliResult shell(String script) {
        return commandLine.run(BUILD, List.of("sh", "-c", script));
    }

    private CliResult run(List<String> prefix, String... args) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(args));
        return commandLine.run(BUILD, argv).assertSuccess();
    }

    private JsonNode config(Path ociArchive) throws IOException {
        return JSON.readTree(shell("skopeo inspect --config oci-archive:" + ociArchive).assertSuccess().stdout());
    }

    /**
     * The history's {@code created_by} list with three known differences of form taken out: docker (and berthd)
     * write two spaces after {@code #(nop)} for metadata steps and {@code VOLUME [/a /b]}, buildah one space and
     * the paths as written; and a COPY's source hash differs by design (buildah hashes a tar of the sources with
     * their mtimes, berthd their names, modes, owners and contents only), so only its kind is compared.
     */
    private static List<String> createdBy(JsonNode config) {
        List<String> out = new ArrayList<>();
        config.path("history").forEach(h -> out.add(h.path("created_by").asText()
                .replace("#(nop)  ", "#(nop) ")
                .replaceAll("#\\(nop\\) VOLUME \\[(.*)]$", "#(nop) VOLUME $1")
                .replaceAll("(file|dir|multi):[0-9a-f]{64}", "$1:<hash>")));
        return out;
    }

    /** The tree as {@code tar -tv} lists it (mode, owner, size, name, link), without times, sorted. */
    private TreeSet<String> tree(Path tar) {
        TreeSet<String> out = new TreeSet<>();
        for (String line : shell("tar --numeric-owner -tvf " + tar).assertSuccess().stdout().lines().toList()) {
            String[] f = line.trim().split("\\s+", 6);
            String name = f[5].replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            out.add(f[0] + " " + f[1] + " " + (f[0].startsWith("d") ? "-" : f[2]) + " " + name);
        }
        return out;
    }
}
