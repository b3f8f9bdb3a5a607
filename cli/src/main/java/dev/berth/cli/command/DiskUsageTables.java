package dev.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.output.Human;
import dev.berth.cli.output.Table;
import java.io.PrintStream;
import java.time.Instant;

/**
 * docker's {@code system df} tables from the daemon's {@code /system/df} document, with the figures as docker's
 * {@code formatter/disk_usage.go} computes them: images total {@code LayersSize}, reclaimable all but what the
 * images in use hold on their own ({@code Size - SharedSize}); containers their {@code SizeRw}, reclaimable that
 * of the ones not running; volumes their {@code UsageData.Size}, reclaimable that of the ones no container uses.
 */
final class DiskUsageTables {
    private DiskUsageTables() {
    }

    static Table summary(JsonNode df) {
        Table t = new Table("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
        long imageTotal = df.path("LayersSize").asLong();
        long imageUsed = 0;
        int imagesActive = 0;
        for (JsonNode i : df.path("Images")) {
            if (i.path("Containers").asInt() > 0) {
                imagesActive++;
                if (i.path("SharedSize").asLong() != -1 && i.path("Size").asLong() != -1) {
                    imageUsed += i.path("Size").asLong() - i.path("SharedSize").asLong();
                }
            }
        }
        t.add("Images", String.valueOf(df.path("Images").size()), String.valueOf(imagesActive),
                Human.size(imageTotal), reclaimable(imageTotal - imageUsed, imageTotal));
        long containerSize = 0;
        long containerStopped = 0;
        int running = 0;
        for (JsonNode c : df.path("Containers")) {
            containerSize += c.path("SizeRw").asLong();
            if (c.path("State").asText().equals("running")) {
                running++;
            } else {
                containerStopped += c.path("SizeRw").asLong();
            }
        }
        t.add("Containers", String.valueOf(df.path("Containers").size()), String.valueOf(running),
                Human.size(containerSize), reclaimable(containerStopped, containerSize));
        long volumeSize = 0;
        long volumeUnused = 0;
        int volumesActive = 0;
        for (JsonNode v : df.path("Volumes")) {
            long size = Math.max(0, v.path("UsageData").path("Size").asLong());
            volumeSize += size;
            if (v.path("UsageData").path("RefCount").asInt() > 0) {
                volumesActive++;
            } else {
                volumeUnused += size;
            }
        }
        t.add("Local Volumes", String.valueOf(df.path("Volumes").size()), String.valueOf(volumesActive),
                Human.size(volumeSize), reclaimable(volumeUnused, volumeSize));
        t.add("Build Cache", "0", "0", "0B", "0B");
        return t;
    }

    /** docker's {@code "%s (%v%%)"}, the percentage only when there is a total. */
    static String reclaimable(long bytes, long total) {
        return Human.size(bytes) + (total > 0 ? " (" + (bytes * 100 / total) + "%)" : "");
    }

    /** {@code df -v}: a table per kind, as docker's verbose template. */
    static void verbose(JsonNode df, PrintStream out) {
        out.print("Images space usage:\n\n");
        Table images = new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE",
                "CONTAINERS");
        for (JsonNode i : df.path("Images")) {
            String id = i.path("Id").asText().replaceFirst("^sha256:", "");
            String created = Human.ago(Instant.ofEpochSecond(i.path("Created").asLong()));
            long size = i.path("Size").asLong();
            long shared = i.path("SharedSize").asLong();
            String unique = shared == -1 ? "N/A" : Human.size(size - shared);
            String sharedText = shared == -1 ? "N/A" : Human.size(shared);
            JsonNode tags = i.path("RepoTags");
            if (tags.isEmpty()) {
                images.add("<none>", "<none>", id.substring(0, Math.min(12, id.length())), created, Human.size(size),
                        sharedText, unique, i.path("Containers").asText());
            }
            for (JsonNode tag : tags) {
                String t = tag.asText();
                int colon = t.lastIndexOf(':');
                boolean tagged = colon > t.lastIndexOf('/') && !t.contains("@");
                images.add(tagged ? t.substring(0, colon) : t.replaceFirst("@.*", ""), tagged
                        ? t.substring(colon + 1) : "<none>", id.substring(0, Math.min(12, id.length())), created,
                        Human.size(size), sharedText, unique, i.path("Containers").asText());
            }
        }
        images.print(out);
        out.print("\nContainers space usage:\n\n");
        Table containers = new Table("CONTAINER ID", "IMAGE", "COMMAND", "LOCAL VOLUMES", "SIZE", "CREATED",
                "STATUS", "NAMES");
        for (JsonNode c : df.path("Containers")) {
            int volumes = 0;
            for (JsonNode m : c.path("Mounts")) {
                if (m.path("Type").asText().equals("volume")) {
                    volumes++;
                }
            }
            String command = c.path("Command").asText();
            containers.add(c.path("Id").asText().substring(0, 12), c.path("Image").asText(),
                    "\"" + (command.length() > 20 ? command.substring(0, 19) + "…" : command) + "\"",
                    String.valueOf(volumes), Human.size(c.path("SizeRw").asLong()),
                    Human.ago(Instant.ofEpochSecond(c.path("Created").asLong())), c.path("Status").asText(),
                    c.path("Names").path(0).asText().replaceFirst("^/", ""));
        }
        containers.print(out);
        out.print("\nLocal Volumes space usage:\n\n");
        Table volumes = new Table("VOLUME NAME", "LINKS", "SIZE");
        for (JsonNode v : df.path("Volumes")) {
            volumes.add(v.path("Name").asText(), v.path("UsageData").path("RefCount").asText(),
                    Human.size(Math.max(0, v.path("UsageData").path("Size").asLong())));
        }
        volumes.print(out);
        out.print("\nBuild cache usage: 0B\n\n");
        new Table("CACHE ID", "CACHE TYPE", "SIZE", "CREATED", "LAST USED", "USAGE", "SHARED").print(out);
        out.flush();
    }
}
