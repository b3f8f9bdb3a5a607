package dev.berth.manager.network;

import dev.berth.api.errdefs.BerthException;

/** An IPv4 network in CIDR form ({@code 172.17.0.0/16}); the address is kept with its host bits cleared. */
record Subnet(int base, int prefix) {

    Subnet {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix " + prefix);
        }
        base = base & mask(prefix);
    }

    /** Parses {@code a.b.c.d/n}; INVALID_ARGUMENT naming {@code what} otherwise. */
    static Subnet parse(String cidr, String what) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw BerthException.invalidArgument("invalid " + what + " " + cidr + ": not in CIDR form");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw BerthException.invalidArgument("invalid " + what + " " + cidr + ": bad prefix length");
        }
        if (prefix < 0 || prefix > 32) {
            throw BerthException.invalidArgument("invalid " + what + " " + cidr + ": bad prefix length");
        }
        return new Subnet(address(cidr.substring(0, slash), what), prefix);
    }

    /** Parses a dotted IPv4 address; INVALID_ARGUMENT naming {@code what} otherwise. */
    static int address(String text, String what) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw BerthException.invalidArgument("invalid " + what + " " + text + ": not an IPv4 address");
        }
        int out = 0;
        for (String p : parts) {
            int v;
            try {
                v = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw BerthException.invalidArgument("invalid " + what + " " + text + ": not an IPv4 address");
            }
            if (v < 0 || v > 255 || p.isEmpty() || p.length() > 3) {
                throw BerthException.invalidArgument("invalid " + what + " " + text + ": not an IPv4 address");
            }
            out = (out << 8) | v;
        }
        return out;
    }

    static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 255) + "." + ((address >>> 8) & 255) + "."
                + (address & 255);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    boolean contains(int address) {
        return (address & mask(prefix)) == base;
    }

    /** True if {@code other} lies inside this subnet. */
    boolean contains(Subnet other) {
        return other.prefix >= prefix && contains(other.base);
    }

    boolean overlaps(Subnet other) {
        return contains(other.base) || other.contains(base);
    }

    /** The {@code n}th address of the subnet (1: the first host). */
    int host(int n) {
        return base + n;
    }

    /** The last address (the broadcast address for prefixes below 31). */
    int last() {
        return base | ~mask(prefix);
    }

    @Override
    public String toString() {
        return format(base) + "/" + prefix;
    }
}
