package dev.berth.manager.engine.spec;

import dev.berth.api.errdefs.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * docker's {@code -u user[:group]} and {@code --group-add} against the image's {@code /etc/passwd} and
 * {@code /etc/group} (moby/sys/user {@code GetExecUser}): a name must be listed, a number need not be; a user found
 * by name or number brings its primary group and, when no group is given, the groups that list it as a member.
 * The additional groups start with the primary group, as moby's since CVE-2022-36109.
 */
final class Users {
    private static final long MAX_ID = 0xFFFF_FFFEL;

    private final RootfsFiles files;

    Users(RootfsFiles files) {
        this.files = files;
    }

    ExecUser resolve(String spec, List<String> groupAdd) {
        String user = spec == null ? "" : spec;
        int colon = user.indexOf(':');
        String userPart = colon < 0 ? user : user.substring(0, colon);
        Optional<String> groupPart = colon < 0 ? Optional.empty() : Optional.of(user.substring(colon + 1));
        if (userPart.isEmpty()) {
            userPart = "0";
        }
        List<PasswdEntry> passwd = passwd();
        Optional<Long> number = number(userPart, "user");
        String name = userPart;
        Optional<PasswdEntry> entry = passwd.stream()
                .filter(e -> number.isPresent() ? e.uid() == number.get() : e.name().equals(name))
                .findFirst();
        if (entry.isEmpty() && number.isEmpty()) {
            throw BerthException.invalidArgument("unable to find user " + userPart
                    + ": no matching entries in passwd file");
        }
        long uid = entry.map(PasswdEntry::uid).orElseGet(number::get);
        long gid = entry.map(PasswdEntry::gid).orElse(0L);
        String home = entry.map(PasswdEntry::home).orElse("/");
        List<GroupEntry> groups = groups();
        if (groupPart.isPresent() && !groupPart.get().isEmpty()) {
            gid = group(groupPart.get(), groups);
        }
        // The primary group is a supplementary one too (moby's fix of CVE-2022-36109): setgroups() without it
        // would let the process shed a group that denies it access.
        List<Long> additional = new ArrayList<>(List.of(gid));
        if (groupPart.isEmpty() && entry.isPresent()) {
            String member = entry.get().name();
            groups.stream().filter(g -> g.members().contains(member)).map(GroupEntry::gid)
                    .filter(g -> !additional.contains(g)).forEach(additional::add);
        }
        for (String extra : groupAdd == null ? List.<String>of() : groupAdd) {
            long g = group(extra, groups);
            if (!additional.contains(g)) {
                additional.add(g);
            }
        }
        return new ExecUser(uid, gid, additional, home);
    }

    private long group(String group, List<GroupEntry> groups) {
        Optional<Long> number = number(group, "group");
        if (number.isPresent()) {
            return number.get();
        }
        return groups.stream().filter(g -> g.name().equals(group)).map(GroupEntry::gid).findFirst()
                .orElseThrow(() -> BerthException.invalidArgument("unable to find group " + group
                        + ": no matching entries in group file"));
    }

    private static Optional<Long> number(String text, String what) {
        if (!text.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        try {
            long n = Long.parseLong(text);
            if (n <= MAX_ID) {
                return Optional.of(n);
            }
        } catch (NumberFormatException e) {
            // falls through to the range error
        }
        throw BerthException.invalidArgument("invalid " + what + " " + text + ": " + what
                + " ids must be between 0 and " + MAX_ID);
    }

    private List<PasswdEntry> passwd() {
        List<PasswdEntry> out = new ArrayList<>();
        for (String line : files.lines("/etc/passwd").orElse(List.of())) {
            String[] f = line.split(":", -1);
            if (line.startsWith("#") || f.length < 4) {
                continue;
            }
            Optional<Long> uid = parsedId(f[2]);
            Optional<Long> gid = parsedId(f[3]);
            if (uid.isPresent() && gid.isPresent()) {
                out.add(new PasswdEntry(f[0], uid.get(), gid.get(), f.length > 5 && !f[5].isEmpty() ? f[5] : "/"));
            }
        }
        return out;
    }

    private List<GroupEntry> groups() {
        List<GroupEntry> out = new ArrayList<>();
        for (String line : files.lines("/etc/group").orElse(List.of())) {
            String[] f = line.split(":", -1);
            if (line.startsWith("#") || f.length < 3) {
                continue;
            }
            List<String> members = f.length > 3 && !f[3].isBlank() ? List.of(f[3].trim().split(",")) : List.of();
            parsedId(f[2]).ifPresent(gid -> out.add(new GroupEntry(f[0], gid, members)));
        }
        return out;
    }

    private static Optional<Long> parsedId(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private record PasswdEntry(String name, long uid, long gid, String home) {
    }

    private record GroupEntry(String name, long gid, List<String> members) {
    }
}
