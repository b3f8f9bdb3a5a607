package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.client.Berth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth diff}: the container's filesystem changes as docker prints them ({@code C}, {@code A}, {@code D}). */
@Command(name = "diff")
public final class DiffCommand extends BaseCommand {
    @Parameters(paramLabel = "CONTAINER")
    String ref;

    @Override
    int run(Berth berth) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : berth.containers().changes(ref)) {
            sb.append(kind(c.path("Kind").asInt())).append(' ').append(c.path("Path").asText()).append('\n');
        }
        out.print(sb);
        out.flush();
        return 0;
    }

    /** docker's letters: 0 changed, 1 added, 2 deleted. */
    static char kind(int kind) {
        return switch (kind) {
            case 0 -> 'C';
            case 1 -> 'A';
            case 2 -> 'D';
            default -> '?';
        };
    }
}
