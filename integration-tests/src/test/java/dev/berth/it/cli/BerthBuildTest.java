package dev.berth.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.it.support.CliResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code berth build} against a real berthd: multi-stage builds whose result runs, the cache, a Dockerfile from
 * STDIN, and bad input that must leave no container, lease, active snapshot or image behind.
 */
class BerthBuildTest extends BerthCliFixture {
    private static final Duration BUILD = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliResult build(String... args) {
        return commandLine.run(BUILD, argv(args));
    }

    private Path context(Map<String, String> files) throws IOException {
        Path ctx = Files.createDirectories(testDir.resolve("ctx-" + System.nanoTime()));
        for (var f : files.entrySet()) {
            Path p = ctx.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        return ctx;
    }

    private JsonNode inspect(String image) throws IOException {
        return JSON.readTree(berth("inspect", image).assertSuccess().stdout()).get(0);
    }

    @Test
    void multiStage_copiesAnArtifactBetweenStagesAndTheResultRuns() throws IOException {
        Path ctx = context(Map.of(
                "Dockerfile", """
                        ARG BASE=%s
                        FROM ${BASE} AS builder
                        WORKDIR /src
                        COPY gen.sh .
                        RUN mkdir -p /out && sh gen.sh > /out/hello && chmod 755 /out/hello
                        FROM ${BASE}
                        COPY --from=builder /out/hello /usr/local/bin/hello
                        ENV GREETING=built
                        LABEL org.example.role=test
                        EXPOSE 8080
                        WORKDIR /app
                        USER 1000:1000
                        CMD ["/usr/local/bin/hello"]
                        """.formatted(busybox),
                "gen.sh", "printf '#!/bin/sh\\necho \"$GREETING from a builder stage\"\\n'\n"));
        CliResult b = build("build", "-t", "app:1", "-t", "app:2", ctx.toString()).assertSuccess();
        assertTrue(b.stdout().contains("Step 1/12 : FROM ${BASE} AS builder"), b.toString());
        assertTrue(b.stdout().contains(" ---> Running in "), b.toString());
        assertTrue(b.stdout().contains("Successfully built "), b.toString());
        assertTrue(b.stdout().contains("Successfully tagged app:1\n"), b.toString());
        assertTrue(b.stdout().contains("Successfully tagged app:2\n"), b.toString());
        assertEquals("built from a builder stage\n", berth("run", "--rm", "app:1").assertSuccess().stdout());
        JsonNode config = inspect("app:2").get("Config");
        assertEquals("/app", config.get("WorkingDir").asText());
        assertEquals("1000:1000", config.get("User").asText());
        assertTrue(config.get("ExposedPorts").has("8080/tcp"), config.toString());
        assertEquals("test", config.get("Labels").get("org.example.role").asText());
        assertTrue(config.get("Env").toString().contains("GREETING=built"), config.toString());
        assertEquals("[\"/usr/local/bin/hello\"]", config.get("Cmd").toString());
        String images = berth("images").assertSuccess().stdout();
        assertFalse(images.contains("berth.build"), images);
        assertTrue(containerIds().isEmpty(), "no RUN container is left");
    }

    @Test
    void cache_aRebuildHitsEveryStepAndAChangedFileInvalidatesFromItsCopy() throws IOException {
        Path ctx = context(Map.of(
                "Dockerfile", """
                        FROM %s
                        RUN echo first > /first
                        COPY data.txt /data.txt
                        RUN cat /data.txt > /copy
                        CMD ["cat", "/copy"]
                        """.formatted(busybox),
                "data.txt", "one\n"));
        CliResult first = build("build", "-q", "-t", "cached", ctx.toString()).assertSuccess();
        String id = first.stdout().strip();
        assertTrue(id.startsWith("sha256:"), first.toString());
        CliResult again = build("build", "-t", "cached", ctx.toString()).assertSuccess();
        assertEquals(4, again.stdout().split(" ---> Using cache", -1).length - 1, again.toString());
        assertFalse(again.stdout().contains("Running in"), again.toString());
        assertTrue(again.stdout().contains("Successfully built " + id.substring(7, 19)), again.toString());
        Files.writeString(ctx.resolve("data.txt"), "two\n");
        CliResult changed = build("build", "-t", "cached", ctx.toString()).assertSuccess();
        assertEquals(1, changed.stdout().split(" ---> Using cache", -1).length - 1, changed.toString());
        assertEquals("two\n", berth("run", "--rm", "cached").assertSuccess().stdout());
        CliResult noCache = build("build", "--no-cache", "-q", ctx.toString()).assertSuccess();
        assertNotEquals(id, noCache.stdout().strip());
        assertTrue(berth("builder", "prune", "-f").assertSuccess().stdout().contains("Deleted build cache objects"));
        CliResult pruned = build("build", "-t", "cached", ctx.toString()).assertSuccess();
        assertFalse(pruned.stdout().contains("Using cache"), pruned.toString());
        assertEquals("two\n", berth("run", "--rm", "cached").assertSuccess().stdout());
    }

    @Test
    void dockerfileFromStdin_buildsWithoutAContext() {
        String dockerfile = "FROM " + busybox + "\nRUN echo from-stdin > /marker\nCMD [\"cat\", \"/marker\"]\n";
        CliResult b = commandLine.run(BUILD, argv("build", "-t", "stdin:1", "-"), Map.of(), dockerfile)
                .assertSuccess();
        assertTrue(b.stdout().contains("Successfully tagged stdin:1"), b.toString());
        assertEquals("from-stdin\n", berth("run", "--rm", "stdin:1").assertSuccess().stdout());
    }

    @Test
    void buildArgsLabelsTargetAndIidfile() throws IOException {
        Path ctx = context(Map.of("Dockerfile", """
                FROM %s AS one
                ARG WHO=nobody
                RUN echo "hello $WHO" > /greeting
                FROM one AS two
                RUN false
                """.formatted(busybox)));
        Path iid = testDir.resolve("iid");
        build("build", "--target", "one", "--build-arg", "WHO=builder", "--label", "k=v", "--iidfile",
                iid.toString(), "-t", "args", ctx.toString()).assertSuccess();
        String id = Files.readString(iid);
        assertEquals(id, inspect("args").get("Id").asText());
        assertEquals("v", inspect("args").get("Config").get("Labels").get("k").asText());
        assertEquals("hello builder\n", berth("run", "--rm", "args", "cat", "/greeting").assertSuccess().stdout());
    }

    @Test
    void copyFrom_globsMatchInTheSourceStagesRoot() throws IOException {
        Path ctx = context(Map.of("Dockerfile", """
                FROM %s AS build
                RUN mkdir -p /out/sub && echo a > /out/a.txt && echo b > /out/b.txt && echo c > /out/c.log \\
                    && echo s > /out/sub/s.txt
                FROM %s
                COPY --from=build /out/*.txt /dst/
                COPY --from=build /out/[ab].* out/s?b/*.txt /two/
                CMD ["ls", "/dst", "/two"]
                """.formatted(busybox, busybox)));
        build("build", "-t", "globs", ctx.toString()).assertSuccess();
        assertEquals("/dst:\na.txt\nb.txt\n\n/two:\na.txt\nb.txt\ns.txt\n",
                berth("run", "--rm", "globs").assertSuccess().stdout());
        CliResult none = build("build", context(Map.of("Dockerfile", """
                FROM %s AS build
                RUN mkdir /out
                FROM %s
                COPY --from=build /out/*.none /dst/
                """.formatted(busybox, busybox))).toString()).assertFailure();
        assertTrue(none.stderr().contains("COPY failed: no source files were specified"), none.toString());
        assertTrue(containerIds().isEmpty(), "no RUN container is left");
    }

    @Test
    void addLocalArchive_extractsTarsByContentWhateverTheirCompression() throws IOException {
        Path ctx = context(Map.of("Dockerfile", """
                FROM %s
                ADD bz.tar.bz2 /bz/
                ADD xz.tar.xz /xz/
                ADD gz.tgz /gz/
                ADD tar-named.txt /plain/
                ADD note.xz /note/
                CMD ["sh", "-c", "cat /bz/hello.txt /xz/hello.txt /gz/hello.txt /plain/hello.txt; ls /note"]
                """.formatted(busybox), "payload/hello.txt", "hello from an archive\n",
                "note", "a note, not an archive\n"));
        Path payload = ctx.resolve("payload");
        commandLine.run(BUILD, List.of("sh", "-c", "cd " + payload + " && tar -cjf ../bz.tar.bz2 hello.txt"
                + " && tar -cJf ../xz.tar.xz hello.txt && tar -czf ../gz.tgz hello.txt"
                + " && tar -cf ../tar-named.txt hello.txt && cd .. && xz note && rm -r payload")).assertSuccess();
        build("build", "-t", "archives", ctx.toString()).assertSuccess();
        assertEquals("hello from an archive\n".repeat(4) + "note.xz\n",
                berth("run", "--rm", "archives").assertSuccess().stdout());
    }

    @Test
    void workdir_createsItsDirectoryAsRootInALayerOfItsOwn() throws IOException {
        Path ctx = context(Map.of("Dockerfile", """
                FROM %s
                WORKDIR /srv/made/deep
                WORKDIR /tmp
                USER 1000
                WORKDIR /home/u1000
                CMD ["stat", "-c", "%%n %%u:%%g %%a", "/srv/made", "/srv/made/deep", "/home/u1000"]
                """.formatted(busybox)));
        build("build", "-t", "workdirs", ctx.toString()).assertSuccess();
        assertEquals("/srv/made 0:0 755\n/srv/made/deep 0:0 755\n/home/u1000 0:0 755\n",
                berth("run", "--rm", "workdirs").assertSuccess().stdout());
        // docker commits a WORKDIR's container: a layer when it made the directory, an empty layer when not
        int base = inspect(busybox).get("RootFS").get("Layers").size();
        assertEquals(base + 2, inspect("workdirs").get("RootFS").get("Layers").size());
    }

    @Test
    void badInput_failsWithDockersMessageAndLeavesNothingBehind() throws IOException {
        List<String> imagesBefore = lines(berth("images", "-q").assertSuccess().stdout());
        CliResult syntax = build("build", context(Map.of("Dockerfile", "FROM " + busybox + "\nFROBNICATE x\n"))
                .toString()).assertFailure();
        assertTrue(syntax.stderr().contains("line 2"), syntax.toString());
        CliResult run = build("build", context(Map.of("Dockerfile", "FROM " + busybox
                + "\nRUN echo doomed-output && exit 3\n")).toString()).assertFailure();
        assertTrue(run.stdout().contains("doomed-output"), run.toString());
        assertTrue(run.stderr().contains("The command '/bin/sh -c echo doomed-output && exit 3' returned a non-zero "
                + "code: 3"), run.toString());
        CliResult base = build("build", context(Map.of("Dockerfile", "FROM 127.0.0.1:1/nothing-here:1\n"))
                .toString()).assertFailure();
        assertTrue(base.stderr().contains("nothing-here"), base.toString());
        CliResult missing = build("build", context(Map.of("Dockerfile", "FROM " + busybox
                + "\nCOPY absent.txt /\n")).toString()).assertFailure();
        assertTrue(missing.stderr().contains("absent.txt"), missing.toString());
        CliResult outside = build("build", context(Map.of("Dockerfile", "FROM " + busybox
                + "\nCOPY ../escape /\n")).toString()).assertFailure();
        assertTrue(outside.stderr().contains("outside the build context"), outside.toString());
        CliResult stage = build("build", context(Map.of("Dockerfile", "FROM " + busybox
                + "\nCOPY --from=nowhere /x /x\n")).toString()).assertFailure();
        assertTrue(stage.stderr().contains("nowhere"), stage.toString());

        assertTrue(containerIds().isEmpty(), "no container is left");
        assertEquals(imagesBefore, lines(berth("images", "-q").assertSuccess().stdout()));
        assertEquals("", ctr.run("leases", "ls", "-q").assertSuccess().stdout().strip(), "no lease is left");
        List<String> active = ctr.run("snapshots", "ls").assertSuccess().stdout().lines()
                .filter(l -> l.contains("Active")).toList();
        assertTrue(active.isEmpty(), "no active snapshot is left: " + active);
    }
}
