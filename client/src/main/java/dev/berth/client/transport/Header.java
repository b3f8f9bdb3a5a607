package dev.berth.client.transport;

/** One header field; names are lowercase, values are octets held one per char (ISO-8859-1). */
record Header(String name, String value) {
    /** The entry's size in a dynamic table: its octets plus 32 (RFC 7541 section 4.1). */
    int size() {
        return name.length() + value.length() + 32;
    }
}
