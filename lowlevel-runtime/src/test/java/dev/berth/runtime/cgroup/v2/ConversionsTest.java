package dev.berth.runtime.cgroup.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The v1-to-v2 value conversions, checked against runc's. */
class ConversionsTest {

    @Test
    void weight_sharesRangeAndDefault() {
        assertEquals(0, CpuController.weight(0));
        assertEquals(1, CpuController.weight(2));
        assertEquals(100, CpuController.weight(1024));
        assertEquals(10000, CpuController.weight(262144));
        assertEquals(10000, CpuController.weight(1_000_000));
    }

    @Test
    void ioWeight_blkioRange() {
        assertEquals(1, IoController.weight(10));
        assertEquals(10000, IoController.weight(1000));
        assertEquals(0, IoController.weight(0));
    }

    @Test
    void swapMax_memswMinusMemory() {
        Path d = Path.of("/x");
        assertEquals(-1, MemoryController.swapMax(0, -1, d));
        assertEquals(0, MemoryController.swapMax(0, 100, d));
        assertEquals(-1, MemoryController.swapMax(-1, 100, d));
        assertEquals(50, MemoryController.swapMax(150, 100, d));
    }
}
