package dev.berth.shim.process;

import dev.berth.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a server that takes over a container ({@link Container#adopt}) needs to know of an exec'd process that an
 * earlier server started: its exec id, pid, the stdio paths the client passed and when it was started (an exit the
 * monitor reports for that pid from before then was another process's). Saved once the process runs, removed when
 * it is deleted: {@code <bundle>/}{@value #DIR}{@code /<16 hex digits of sha256(exec id)>}, one value a line: exec
 * id, pid, stdin, stdout, stderr, terminal ({@code true}/{@code false}), start time (epoch seconds, nanoseconds).
 */
record ExecFile(String execId, int pid, ShimProcess.ProcessStdio stdio, Instant startedAt) {
    static final String DIR = "berth-execs";
    private static final Log LOG = Log.of(ExecFile.class);
    private static final int LINES = 8;

    /** Saves the record atomically (a temporary file renamed); a failure is logged: the exec runs on regardless. */
    void save(Path bundle) {
        Path file = file(bundle, execId);
        String text = String.join("\n", execId, Integer.toString(pid), stdio.stdin(), stdio.stdout(), stdio.stderr(),
                Boolean.toString(stdio.terminal()), Long.toString(startedAt.getEpochSecond()),
                Integer.toString(startedAt.getNano())) + "\n";
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("save exec record: a server that takes the container over will not know the exec", e,
                    "exec", execId, "file", file);
        }
    }

    static void remove(Path bundle, String execId) {
        Path file = file(bundle, execId);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("remove exec record", e, "file", file);
        }
    }

    /** Every record in the bundle; one that does not read is logged and skipped. */
    static List<ExecFile> loadAll(Path bundle) {
        Path dir = bundle.resolve(DIR);
        List<ExecFile> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".tmp")).sorted().toList()) {
                try {
                    found.add(load(file));
                } catch (IOException e) {
                    LOG.warn("read exec record", e, "file", file);
                }
            }
        } catch (IOException e) {
            LOG.warn("list exec records", e, "dir", dir);
        }
        return found;
    }

    private static ExecFile load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < LINES) {
            throw new IOException("read " + file + ": " + lines.size() + " lines, want " + LINES);
        }
        try {
            return new ExecFile(lines.get(0), Integer.parseInt(lines.get(1)), new ShimProcess.ProcessStdio(
                    lines.get(2), lines.get(3), lines.get(4), Boolean.parseBoolean(lines.get(5))),
                    Instant.ofEpochSecond(Long.parseLong(lines.get(6)), Integer.parseInt(lines.get(7))));
        } catch (NumberFormatException e) {
            throw new IOException("read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path file(Path bundle, String execId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(execId.getBytes(StandardCharsets.UTF_8));
            return bundle.resolve(DIR).resolve(HexFormat.of().formatHex(hash, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("sha-256: " + e.getMessage(), e);
        }
    }
}
