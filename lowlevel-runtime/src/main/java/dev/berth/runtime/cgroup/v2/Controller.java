package dev.berth.runtime.cgroup.v2;

import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;

/** A cgroup v2 controller that writes limits into a container's directory of the unified hierarchy. */
interface Controller {

    /** The controller's name as in {@code cgroup.controllers}: {@code memory}, {@code io}. */
    String name();

    /** Whether {@code r} asks this controller for anything (then the controller must be available). */
    boolean requested(LinuxResources r);

    /** Writes what {@code r} asks for into {@code dir}; null fields stay as they are. */
    void set(Path dir, LinuxResources r);
}
