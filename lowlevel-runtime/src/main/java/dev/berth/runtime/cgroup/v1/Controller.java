package dev.berth.runtime.cgroup.v1;

import dev.berth.runtime.spec.LinuxResources;
import java.nio.file.Path;

/** A cgroup v1 controller that writes limits into a container's directory in its hierarchy. */
interface Controller {

    /** The controller's name as the kernel spells it in mount options: {@code memory}, {@code cpu}. */
    String name();

    /** Whether {@code r} asks this controller for anything (then its hierarchy must be mounted). */
    boolean requested(LinuxResources r);

    /** Writes what {@code r} asks for into {@code dir}; null fields stay as they are. */
    void set(Path dir, LinuxResources r);
}
