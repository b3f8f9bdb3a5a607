package dev.berth.it.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package map in {@code docs/architecture.md} is true: every package of every module's main code has a row,
 * uses only what its row names and uses all of it, and the modules depend on each other without a cycle. When this
 * fails, its message lists each wrong row with the last cell that would be true.
 */
class ArchitectureTest {
    private static final Path REPO = Path.of(System.getProperty("berth.it.repo", "..")).toAbsolutePath().normalize();

    @Test
    void packageMap_matchesTheImports() throws IOException {
        PackageMap map = PackageMap.parse(Files.readString(REPO.resolve("docs/architecture.md")));
        CodeMap code = CodeMap.scan(REPO);
        assertTrue(code.moduleOf().size() > 20, "scanned too few packages under " + REPO + ": " + code.moduleOf());

        List<String> problems = new MapCheck(map, code).problems();

        assertTrue(problems.isEmpty(), "docs/architecture.md's package map is not true to the code:\n  "
                + String.join("\n  ", problems));
    }
}
