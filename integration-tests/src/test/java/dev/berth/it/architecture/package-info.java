/**
 * Keeps the package map in {@code docs/architecture.md} true: {@link dev.berth.it.architecture.CodeMap} reads what
 * each package of the modules' main code uses, {@link dev.berth.it.architecture.PackageMap} reads the map, and
 * {@link dev.berth.it.architecture.MapCheck} says where they differ. {@code ArchitectureTest} runs it on the
 * repository, {@code MapCheckTest} on small made-up inputs.
 */
package dev.berth.it.architecture;
