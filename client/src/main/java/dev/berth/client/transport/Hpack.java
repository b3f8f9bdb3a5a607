package dev.berth.client.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * HPACK (RFC 7541), the header compression of HTTP/2: {@link Decoder} keeps the dynamic table the peer's encoder
 * fills and reads every representation (indexed, literal with or without indexing, never indexed, size updates,
 * Huffman strings); {@link #encode} writes fields as the static table's indexed entries or as literals without
 * indexing with raw strings, so the peer's decoding table is never used.
 */
final class Hpack {
    /** Appendix A, index 1 to 61. */
    private static final Header[] STATIC_TABLE = {
        new Header(":authority", ""), new Header(":method", "GET"), new Header(":method", "POST"),
        new Header(":path", "/"), new Header(":path", "/index.html"), new Header(":scheme", "http"),
        new Header(":scheme", "https"), new Header(":status", "200"), new Header(":status", "204"),
        new Header(":status", "206"), new Header(":status", "304"), new Header(":status", "400"),
        new Header(":status", "404"), new Header(":status", "500"), new Header("accept-charset", ""),
        new Header("accept-encoding", "gzip, deflate"), new Header("accept-language", ""),
        new Header("accept-ranges", ""), new Header("accept", ""), new Header("access-control-allow-origin", ""),
        new Header("age", ""), new Header("allow", ""), new Header("authorization", ""),
        new Header("cache-control", ""), new Header("content-disposition", ""), new Header("content-encoding", ""),
        new Header("content-language", ""), new Header("content-length", ""), new Header("content-location", ""),
        new Header("content-range", ""), new Header("content-type", ""), new Header("cookie", ""),
        new Header("date", ""), new Header("etag", ""), new Header("expect", ""), new Header("expires", ""),
        new Header("from", ""), new Header("host", ""), new Header("if-match", ""),
        new Header("if-modified-since", ""), new Header("if-none-match", ""), new Header("if-range", ""),
        new Header("if-unmodified-since", ""), new Header("last-modified", ""), new Header("link", ""),
        new Header("location", ""), new Header("max-forwards", ""), new Header("proxy-authenticate", ""),
        new Header("proxy-authorization", ""), new Header("range", ""), new Header("referer", ""),
        new Header("refresh", ""), new Header("retry-after", ""), new Header("server", ""),
        new Header("set-cookie", ""), new Header("strict-transport-security", ""),
        new Header("transfer-encoding", ""), new Header("user-agent", ""), new Header("vary", ""),
        new Header("via", ""), new Header("www-authenticate", ""),
    };
    /** The lowest static index of each name, for literals with an indexed name. */
    private static final Map<String, Integer> STATIC_NAMES = staticNames();

    private Hpack() {
    }

    private static Map<String, Integer> staticNames() {
        Map<String, Integer> names = new HashMap<>();
        for (int i = STATIC_TABLE.length - 1; i >= 0; i--) {
            names.put(STATIC_TABLE[i].name(), i + 1);
        }
        return Map.copyOf(names);
    }

    /**
     * A header block for {@code headers}: an indexed field where the static table holds the name and value,
     * otherwise a literal without indexing (section 6.2.2), its name indexed where the static table has it.
     */
    static byte[] encode(List<Header> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Header h : headers) {
            Integer nameIndex = STATIC_NAMES.get(h.name());
            int exact = 0;
            if (nameIndex != null) {
                for (int i = nameIndex - 1; i < STATIC_TABLE.length && STATIC_TABLE[i].name().equals(h.name()); i++) {
                    if (STATIC_TABLE[i].value().equals(h.value())) {
                        exact = i + 1;
                    }
                }
            }
            if (exact != 0) {
                writeInteger(out, 0x80, 7, exact);
                continue;
            }
            if (nameIndex != null) {
                writeInteger(out, 0x00, 4, nameIndex);
            } else {
                out.write(0x00);
                writeString(out, h.name());
            }
            writeString(out, h.value());
        }
        return out.toByteArray();
    }

    /** Section 5.1: {@code value} with an N-bit prefix, the first octet's other bits {@code flags}. */
    static void writeInteger(ByteArrayOutputStream out, int flags, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(flags | value);
            return;
        }
        out.write(flags | max);
        value -= max;
        while (value >= 0x80) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] octets = s.getBytes(StandardCharsets.ISO_8859_1);
        writeInteger(out, 0x00, 7, octets.length); // H = 0: raw octets
        out.writeBytes(octets);
    }

    /** The decoding context of one connection: the dynamic table the peer's encoder maintains (section 2.3.2). */
    static final class Decoder {
        /** The table size this side announced (SETTINGS_HEADER_TABLE_SIZE), the bound of every size update. */
        private final int maxTableSize;
        private int tableLimit;
        private int tableSize;
        /** Newest entry first: dynamic index 62 is the head. */
        private final ArrayDeque<Header> table = new ArrayDeque<>();
        /** The bound on a block's decoded fields (SETTINGS_MAX_HEADER_LIST_SIZE's measure), against a bomb. */
        private final int maxHeaderListSize;

        Decoder(int maxTableSize, int maxHeaderListSize) {
            this.maxTableSize = maxTableSize;
            this.tableLimit = maxTableSize;
            this.maxHeaderListSize = maxHeaderListSize;
        }

        /** The fields of one complete header block, in order. */
        List<Header> decode(byte[] block) throws HpackException {
            List<Header> out = new ArrayList<>();
            int[] pos = {0};
            long listSize = 0;
            while (pos[0] < block.length) {
                int b = block[pos[0]] & 0xff;
                Header field;
                if ((b & 0x80) != 0) { // 6.1 indexed
                    field = entry(readInteger(block, pos, 7));
                } else if ((b & 0xc0) == 0x40) { // 6.2.1 literal with incremental indexing
                    field = literal(block, pos, 6);
                    add(field);
                } else if ((b & 0xe0) == 0x20) { // 6.3 dynamic table size update
                    if (!out.isEmpty()) {
                        throw new HpackException("dynamic table size update after a header field");
                    }
                    int limit = readInteger(block, pos, 5);
                    if (limit > maxTableSize) {
                        throw new HpackException("dynamic table size update to " + limit + " above " + maxTableSize);
                    }
                    tableLimit = limit;
                    evict(0);
                    continue;
                } else { // 6.2.2 without indexing (0000), 6.2.3 never indexed (0001)
                    field = literal(block, pos, 4);
                }
                listSize += field.size();
                if (listSize > maxHeaderListSize) {
                    throw new HpackException("header list larger than " + maxHeaderListSize);
                }
                out.add(field);
            }
            return out;
        }

        int tableSize() {
            return tableSize;
        }

        private Header literal(byte[] block, int[] pos, int prefixBits) throws HpackException {
            int index = readInteger(block, pos, prefixBits);
            String name = index == 0 ? readString(block, pos) : entry(index).name();
            return new Header(name, readString(block, pos));
        }

        private Header entry(int index) throws HpackException {
            if (index >= 1 && index <= STATIC_TABLE.length) {
                return STATIC_TABLE[index - 1];
            }
            int dynamic = index - STATIC_TABLE.length - 1;
            if (index == 0 || dynamic >= table.size()) {
                throw new HpackException("header index " + index + " out of range");
            }
            Iterator<Header> it = table.iterator();
            for (int i = 0; i < dynamic; i++) {
                it.next();
            }
            return it.next();
        }

        /** Section 4.4: evict from the end until the entry fits; an entry larger than the table empties it. */
        private void add(Header field) {
            evict(field.size());
            if (field.size() <= tableLimit) {
                table.addFirst(field);
                tableSize += field.size();
            }
        }

        private void evict(int room) {
            while (!table.isEmpty() && tableSize + room > tableLimit) {
                tableSize -= table.removeLast().size();
            }
        }

        private static String readString(byte[] block, int[] pos) throws HpackException {
            if (pos[0] >= block.length) {
                throw new HpackException("truncated header block");
            }
            boolean huffman = (block[pos[0]] & 0x80) != 0;
            int length = readInteger(block, pos, 7);
            if (length > block.length - pos[0]) {
                throw new HpackException("string length " + length + " beyond the header block");
            }
            byte[] octets = huffman ? Huffman.decode(block, pos[0], length)
                    : java.util.Arrays.copyOfRange(block, pos[0], pos[0] + length);
            pos[0] += length;
            return new String(octets, StandardCharsets.ISO_8859_1);
        }

        /** Section 5.1, advancing {@code pos[0]}; a value beyond 2^31 - 1 is an error. */
        static int readInteger(byte[] block, int[] pos, int prefixBits) throws HpackException {
            int max = (1 << prefixBits) - 1;
            int value = block[pos[0]++] & max;
            if (value < max) {
                return value;
            }
            long v = value;
            for (int shift = 0; ; shift += 7) {
                if (pos[0] >= block.length) {
                    throw new HpackException("truncated integer");
                }
                int b = block[pos[0]++] & 0xff;
                v += (long) (b & 0x7f) << shift;
                if (v > Integer.MAX_VALUE || shift > 28) {
                    throw new HpackException("integer overflow");
                }
                if ((b & 0x80) == 0) {
                    return (int) v;
                }
            }
        }
    }
}
