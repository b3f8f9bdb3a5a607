package dev.berth.manager.task;

import java.util.List;

/**
 * What {@link ShimTasks#recover} found, as {@code namespace/id} names.
 *
 * @param reattached tasks whose shim answered and knew the task: they are tasks again
 * @param cleanedUp bundles whose shim was dead or had lost the task: cleaned up with the shim's delete verb and
 *     removed, as were leftovers of interrupted deletes
 */
public record Recovery(List<String> reattached, List<String> cleanedUp) {
    public Recovery {
        reattached = List.copyOf(reattached);
        cleanedUp = List.copyOf(cleanedUp);
    }
}
