package dev.berth.manager.engine.spec;

import dev.berth.api.errdefs.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A container's {@code /etc/hostname}, {@code /etc/hosts} and {@code /etc/resolv.conf}, written into the engine's
 * per-container directory as docker writes them into its container directory, and bind-mounted by the spec.
 *
 * <p>The resolver configuration is the host's with its loopback nameservers removed (they mean the host's own
 * resolver, which a container in its own network namespace cannot reach), as moby's {@code resolvconf.FilterResolvDNS}.
 * Unlike docker, no public nameserver is added when none remains: nothing may leave this machine by default.
 */
final class EtcFiles {
    static final String HOSTNAME = "hostname";
    static final String HOSTS = "hosts";
    static final String RESOLV_CONF = "resolv.conf";

    private final Path resolvConf;

    EtcFiles(Path resolvConf) {
        this.resolvConf = resolvConf;
    }

    /** The three files' contents by file name; a bad {@code --add-host} is an error naming it. */
    Map<String, String> contents(String hostname, String domainname, List<String> extraHosts, List<String> dns,
                                 List<String> dnsSearch, List<String> dnsOptions) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(HOSTNAME, hostname + "\n");
        files.put(HOSTS, hosts(hostname, domainname, extraHosts));
        files.put(RESOLV_CONF, resolvConf(hostResolvConf(), dns, dnsSearch, dnsOptions));
        return files;
    }

    static void write(Path dir, Map<String, String> contents) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw BerthException.internal("create " + dir + ": " + e.getMessage());
        }
        contents.forEach((name, content) -> atomicWrite(dir.resolve(name), content));
    }

    /** docker's default lines, then {@code --add-host}'s, then the container's own name. */
    static String hosts(String hostname, String domainname, List<String> extraHosts) {
        StringBuilder out = new StringBuilder();
        out.append("127.0.0.1\tlocalhost\n");
        out.append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        out.append("fe00::0\tip6-localnet\n");
        out.append("ff00::0\tip6-mcastprefix\n");
        out.append("ff02::1\tip6-allnodes\n");
        out.append("ff02::2\tip6-allrouters\n");
        for (String extra : extraHosts) {
            int colon = extra.indexOf(':');
            String name = colon < 0 ? "" : extra.substring(0, colon);
            String address = colon < 0 ? "" : extra.substring(colon + 1);
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
            if (name.isEmpty() || address.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                throw BerthException.invalidArgument("invalid --add-host " + extra + ": want host:ip");
            }
            if (address.equals("host-gateway")) {
                throw BerthException.invalidArgument("invalid --add-host " + extra
                        + ": host-gateway needs a container network, and this container has none");
            }
            if (!address.matches("[0-9a-fA-F:.]+") || (!address.contains(":") && !address.contains("."))) {
                throw BerthException.invalidArgument("invalid --add-host " + extra + ": invalid IP address "
                        + address);
            }
            out.append(address).append('\t').append(name).append('\n');
        }
        // The container has no address of its own until it joins a network: its name resolves to loopback.
        String names = domainname == null || domainname.isEmpty() ? hostname
                : hostname + "." + domainname + " " + hostname;
        out.append("127.0.0.1\t").append(names).append('\n');
        return out.toString();
    }

    /**
     * The host's resolver configuration with loopback nameservers dropped; {@code dns}, {@code dnsSearch} and
     * {@code dnsOptions} replace the host's nameservers, search list and options when given.
     */
    static String resolvConf(List<String> host, List<String> dns, List<String> dnsSearch, List<String> dnsOptions) {
        List<String> nameservers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        List<String> options = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String line : host) {
            String[] words = line.trim().split("\\s+");
            switch (words[0].toLowerCase(Locale.ROOT)) {
                case "nameserver" -> {
                    if (words.length > 1 && !loopback(words[1])) {
                        nameservers.add(words[1]);
                    }
                }
                case "search", "domain" -> {
                    search.clear();
                    search.addAll(List.of(words).subList(1, words.length));
                }
                case "options" -> options.addAll(List.of(words).subList(1, words.length));
                default -> {
                    if (!line.isBlank() && !line.startsWith("#") && !line.startsWith(";")) {
                        other.add(line.trim());
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (String ns : dns.isEmpty() ? nameservers : dns) {
            out.append("nameserver ").append(ns).append('\n');
        }
        List<String> searchOut = dnsSearch.isEmpty() ? search
                : dnsSearch.equals(List.of(".")) ? List.of() : dnsSearch;
        if (!searchOut.isEmpty()) {
            out.append("search ").append(String.join(" ", searchOut)).append('\n');
        }
        List<String> optionsOut = dnsOptions.isEmpty() ? options : dnsOptions;
        if (!optionsOut.isEmpty()) {
            out.append("options ").append(String.join(" ", optionsOut)).append('\n');
        }
        other.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    /** 127.0.0.0/8 and ::1, in any spelling of the latter. */
    static boolean loopback(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        return a.startsWith("127.") || a.matches("(0{0,4}:){2,7}0{0,3}1") || a.equals("::1");
    }

    private List<String> hostResolvConf() {
        try {
            return Files.readAllLines(resolvConf, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw BerthException.internal("read " + resolvConf + ": " + e.getMessage());
        }
    }

    private static void atomicWrite(Path file, String content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw BerthException.internal("write " + file + ": " + e.getMessage());
        }
    }
}
