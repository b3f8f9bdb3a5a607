package dev.berth.it.architecture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the package map with the code, and says each way in which the map is not true, one line each:
 * a package without a row, a row under the wrong module, a use the row does not name, a name in a row that nothing
 * uses, a row for a package that does not exist, two rows for one package; and a cycle between modules. For each
 * row found wrong it proposes the last cell that would be true.
 */
final class MapCheck {
    private final PackageMap map;
    private final CodeMap code;

    MapCheck(PackageMap map, CodeMap code) {
        this.map = map;
        this.code = code;
    }

    /** Every problem, in a stable order; empty when the map is true. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        duplicateRows(problems);
        Map<PackageMap.Row, Set<String>> covered = new HashMap<>();
        Set<PackageMap.Row> wrong = new LinkedHashSet<>();
        for (String pkg : code.moduleOf().keySet()) {
            String module = code.moduleOf().get(pkg);
            Optional<PackageMap.Row> found = map.rowFor(pkg);
            if (found.isEmpty()) {
                problems.add("no row for `" + pkg + "` (module " + module + "); a true one: | `" + pkg
                        + "` | … | " + cell(code.uses(pkg)) + " |");
                continue;
            }
            PackageMap.Row row = found.get();
            covered.computeIfAbsent(row, r -> new TreeSet<>()).add(pkg);
            if (!row.module().equals(module)) {
                problems.add("`" + pkg + "` is in module " + module + ", but its " + row + " is under module "
                        + row.module());
            }
            for (String used : usesOutside(row, Set.of(pkg))) {
                if (!row.allows(used)) {
                    problems.add("`" + pkg + "` uses `" + used + "`, which its " + row + " does not name");
                    wrong.add(row);
                }
            }
        }
        for (PackageMap.Row row : map.rows()) {
            Set<String> packages = covered.getOrDefault(row, Set.of());
            if (packages.isEmpty()) {
                problems.add(row + ": no such package in the code (or another row speaks for it)");
                continue;
            }
            Set<String> used = usesOutside(row, packages);
            for (String allowed : row.allowed()) {
                if (used.stream().noneMatch(u -> PackageMap.matches(allowed, u))) {
                    problems.add(row + " names `" + allowed + "`, which " + String.join(", ", packages)
                            + " does not use");
                    wrong.add(row);
                }
            }
        }
        for (PackageMap.Row row : wrong) {
            Set<String> used = usesOutside(row, covered.get(row));
            problems.add("a true last cell for " + row + ": " + cell(trueCell(row, used)));
        }
        moduleCycles(problems);
        return problems;
    }

    private void duplicateRows(List<String> problems) {
        Map<String, PackageMap.Row> byName = new HashMap<>();
        for (PackageMap.Row row : map.rows()) {
            PackageMap.Row earlier = byName.putIfAbsent(row.name(), row);
            if (earlier != null) {
                problems.add(row + " repeats " + earlier);
            }
        }
    }

    /** What {@code packages} use, but for each other within the family a row stands for. */
    private Set<String> usesOutside(PackageMap.Row row, Set<String> packages) {
        Set<String> used = new TreeSet<>();
        packages.forEach(p -> used.addAll(code.uses(p)));
        if (row.isFamily()) {
            used.removeIf(row::covers);
        }
        return used;
    }

    /** The row's names that are still used, and each use that none of them covers. */
    private static Set<String> trueCell(PackageMap.Row row, Set<String> used) {
        Set<String> cell = new TreeSet<>();
        for (String allowed : row.allowed()) {
            if (used.stream().anyMatch(u -> PackageMap.matches(allowed, u))) {
                cell.add(allowed);
            }
        }
        for (String u : used) {
            if (cell.stream().noneMatch(a -> PackageMap.matches(a, u))) {
                cell.add(u);
            }
        }
        return cell;
    }

    private static String cell(Set<String> names) {
        if (names.isEmpty()) {
            return "—";
        }
        return String.join(", ", names.stream().map(n -> "`" + n + "`").toList());
    }

    /** A cycle in the modules' dependency graph, which Maven's build order cannot have either. */
    private void moduleCycles(List<String> problems) {
        Map<String, Map<String, String>> edges = new TreeMap<>();
        for (String pkg : code.moduleOf().keySet()) {
            String from = code.moduleOf().get(pkg);
            for (String used : code.uses(pkg)) {
                code.module(used).filter(to -> !to.equals(from)).ifPresent(to -> edges
                        .computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(to, pkg + " uses " + used));
            }
        }
        Set<String> done = new TreeSet<>();
        for (String module : edges.keySet()) {
            Optional<String> cycle = findCycle(module, edges, new ArrayList<>(), done);
            if (cycle.isPresent()) {
                problems.add("modules depend on each other in a cycle: " + cycle.get());
                return; // one is enough to say; the next shows once it is broken
            }
        }
    }

    private static Optional<String> findCycle(String module, Map<String, Map<String, String>> edges,
                                              List<String> path, Set<String> done) {
        int at = path.indexOf(module);
        if (at >= 0) {
            StringBuilder cycle = new StringBuilder();
            for (int i = at; i < path.size(); i++) {
                String from = path.get(i);
                String to = i + 1 < path.size() ? path.get(i + 1) : module;
                cycle.append(from).append(" → ").append(to).append(" (").append(edges.get(from).get(to))
                        .append("); ");
            }
            return Optional.of(cycle.substring(0, cycle.length() - 2));
        }
        if (done.contains(module)) {
            return Optional.empty();
        }
        path.add(module);
        for (String next : edges.getOrDefault(module, Map.of()).keySet()) {
            Optional<String> cycle = findCycle(next, edges, path, done);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        path.removeLast();
        done.add(module);
        return Optional.empty();
    }
}
