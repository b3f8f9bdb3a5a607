package dev.berth.cli.command;

import dev.berth.cli.output.Table;
import dev.berth.client.Berth;
import dev.berth.client.Results;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth top CONTAINER [ps OPTIONS]}: the container's processes as ps shows them. */
@Command(name = "top")
public final class TopCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String ref;
    @Parameters(index = "1..*", paramLabel = "ps OPTIONS")
    List<String> psArgs = new ArrayList<>();

    @Override
    int run(Berth berth) {
        Results.Top top = berth.containers().top(ref, String.join(" ", psArgs));
        Table table = new Table(top.titles().toArray(String[]::new));
        for (List<String> row : top.processes()) {
            table.add(row.toArray(String[]::new));
        }
        table.print(out);
        return 0;
    }
}
