package dev.berth.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HPACK against RFC 7541's own examples (Appendix C), and the encoder's output read back. */
class HpackTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static List<Header> fields(String... nameValue) {
        List<Header> out = new java.util.ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            out.add(new Header(nameValue[i], nameValue[i + 1]));
        }
        return out;
    }

    @Test
    void integers_appendixC1() throws HpackException {
        // C.1.1: 10 with a 5-bit prefix; C.1.2: 1337 with a 5-bit prefix; C.1.3: 42 at an octet boundary
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Hpack.writeInteger(out, 0, 5, 10);
        Hpack.writeInteger(out, 0, 5, 1337);
        Hpack.writeInteger(out, 0, 8, 42);
        assertArrayEquals(hex("0a 1f9a0a 2a"), out.toByteArray());
        int[] pos = {0};
        byte[] in = out.toByteArray();
        assertEquals(10, Hpack.Decoder.readInteger(in, pos, 5));
        assertEquals(1337, Hpack.Decoder.readInteger(in, pos, 5));
        assertEquals(42, Hpack.Decoder.readInteger(in, pos, 8));
    }

    @Test
    void requestsWithoutHuffman_appendixC3() throws HpackException {
        Hpack.Decoder d = new Hpack.Decoder(4096, 1 << 20);
        assertEquals(fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com"),
                d.decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")));
        assertEquals(57, d.tableSize());
        assertEquals(fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com",
                        "cache-control", "no-cache"),
                d.decode(hex("8286 84be 5808 6e6f 2d63 6163 6865")));
        assertEquals(110, d.tableSize());
        assertEquals(fields(":method", "GET", ":scheme", "https", ":path", "/index.html", ":authority",
                        "www.example.com", "custom-key", "custom-value"),
                d.decode(hex("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65")));
        assertEquals(164, d.tableSize());
    }

    @Test
    void requestsWithHuffman_appendixC4() throws HpackException {
        Hpack.Decoder d = new Hpack.Decoder(4096, 1 << 20);
        assertEquals(fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com"),
                d.decode(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")));
        assertEquals(fields(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com",
                        "cache-control", "no-cache"),
                d.decode(hex("8286 84be 5886 a8eb 1064 9cbf")));
        assertEquals(fields(":method", "GET", ":scheme", "https", ":path", "/index.html", ":authority",
                        "www.example.com", "custom-key", "custom-value"),
                d.decode(hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")));
        assertEquals(164, d.tableSize());
    }

    /** C.6: a 256-octet table, so entries are evicted; Huffman strings throughout. */
    @Test
    void responsesWithHuffmanAndEviction_appendixC6() throws HpackException {
        Hpack.Decoder d = new Hpack.Decoder(256, 1 << 20);
        assertEquals(fields(":status", "302", "cache-control", "private", "date", "Mon, 21 Oct 2013 20:13:21 GMT",
                        "location", "https://www.example.com"),
                d.decode(hex("4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b"
                        + " ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3")));
        assertEquals(222, d.tableSize());
        assertEquals(fields(":status", "307", "cache-control", "private", "date", "Mon, 21 Oct 2013 20:13:21 GMT",
                        "location", "https://www.example.com"),
                d.decode(hex("4883 640e ffc1 c0bf")));
        assertEquals(222, d.tableSize());
        assertEquals(fields(":status", "200", "cache-control", "private", "date", "Mon, 21 Oct 2013 20:13:22 GMT",
                        "location", "https://www.example.com", "content-encoding", "gzip", "set-cookie",
                        "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
                d.decode(hex("88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad"
                        + " 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160"
                        + " 65c0 03ed 4ee5 b106 3d50 07")));
        assertEquals(215, d.tableSize());
    }

    @Test
    void encoder_readsBackAndIndexesTheStaticTable() throws HpackException {
        List<Header> request = fields(":method", "POST", ":scheme", "http", ":path", "/containerd.services.version"
                        + ".v1.Version/Version", ":authority", "localhost", "content-type", "application/grpc",
                "te", "trailers", "containerd-namespace", "default", "x-bin", "\u0000\u00ff");
        byte[] block = Hpack.encode(request);
        assertEquals((byte) 0x83, block[0], ":method POST is static entry 3");
        assertEquals((byte) 0x86, block[1], ":scheme http is static entry 6");
        assertEquals(request, new Hpack.Decoder(4096, 1 << 20).decode(block));
    }

    @Test
    void errors_areCompressionErrors() {
        Hpack.Decoder d = new Hpack.Decoder(4096, 1 << 20);
        assertThrows(HpackException.class, () -> d.decode(hex("be")), "dynamic index 62 of an empty table");
        assertThrows(HpackException.class, () -> d.decode(hex("3fe21f")), "a size update above the settings");
        assertThrows(HpackException.class, () -> d.decode(hex("82 20")), "a size update after a field");
        // "www.example.com" in Huffman with one more octet of padding: more than 7 bits
        assertThrows(HpackException.class, () -> d.decode(hex("008d f1e3 c2e5 f23a 6ba0 ab90 f4ff ff")));
        assertThrows(HpackException.class, () -> d.decode(hex("000a 6162")), "a string beyond the block");
        assertThrows(HpackException.class, () -> d.decode(hex("ff ffffffff0f")), "an integer above 2^31 - 1");
    }

    @Test
    void huffman_rfcStrings() throws HpackException {
        byte[] coded = hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff");
        assertEquals("www.example.com", new String(Huffman.decode(coded, 0, coded.length), StandardCharsets.UTF_8));
    }
}
