package dev.ser.cuda.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachingAllocatorTest {
    /** A device with {@code capacity} bytes: hands out increasing fake addresses and records every call. */
    static final class FakeDevice implements CachingAllocator.Backing {
        final long capacity;
        final Map<Long, Long> blocks = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        long next = 0x7f00_0000_0000L;
        long used;

        FakeDevice(long capacity) { this.capacity = capacity; }

        @Override public long allocate(long bytes) {
            calls.add("allocate " + bytes);
            if (used + bytes > capacity) return 0;
            long address = next;
            next += bytes;
            used += bytes;
            blocks.put(address, bytes);
            return address;
        }

        @Override public void release(long address) {
            calls.add("release");
            used -= blocks.remove(address);
        }

        @Override public void awaitIdle() { calls.add("awaitIdle"); }

        @Override public RuntimeException outOfMemory(long bytes, CachingAllocator.Stats stats) {
            return new CudaException("cuMemAlloc", 2, "CUDA_ERROR_OUT_OF_MEMORY", "asked for " + bytes + " bytes");
        }
    }

    @Test void sizeClassesAre512BytesBelowOneMebibyteAndTwoMebibytesAbove() {
        assertEquals(512, CachingAllocator.sizeClass(0));
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(512, CachingAllocator.sizeClass(512));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(1L << 20, CachingAllocator.sizeClass(1L << 20));
        assertEquals(2L << 20, CachingAllocator.sizeClass((1L << 20) + 1));
        assertEquals(4L << 20, CachingAllocator.sizeClass((2L << 20) + 1));
        assertThrows(IllegalArgumentException.class, () -> CachingAllocator.sizeClass(-1));
    }

    @Test void aFreedBlockIsReusedForTheSameClassWithoutAskingTheDevice() {
        FakeDevice device = new FakeDevice(1L << 30);
        CachingAllocator allocator = new CachingAllocator(device);
        long a = allocator.alloc(1000);
        allocator.free(a, 1000);
        long b = allocator.alloc(900);                  // same 1024-byte class
        assertEquals(a, b);
        assertEquals(List.of("allocate 1024"), device.calls);
        long c = allocator.alloc(3000);                 // another class: a new block
        assertNotEquals(a, c);
        CachingAllocator.Stats s = allocator.stats();
        assertEquals(3, s.allocations());
        assertEquals(1, s.servedFromCache());
        assertEquals(1024 + 3072, s.bytesInUse());
        assertEquals(0, s.bytesCached());
    }

    @Test void blocksOfOtherClassesAreNotSplit() {
        FakeDevice device = new FakeDevice(1L << 30);
        CachingAllocator allocator = new CachingAllocator(device);
        long big = allocator.alloc(4L << 20);
        allocator.free(big, 4L << 20);
        long small = allocator.alloc(512);
        assertNotEquals(big, small);
        assertEquals(4L << 20, allocator.stats().bytesCached());
    }

    @Test void statsTrackInUseCachedAndPeak() {
        CachingAllocator allocator = new CachingAllocator(new FakeDevice(1L << 30));
        long a = allocator.alloc(3L << 20);             // 4 MiB class
        long b = allocator.alloc(100);                  // 512
        allocator.free(a, 3L << 20);
        CachingAllocator.Stats s = allocator.stats();
        assertEquals(512, s.bytesInUse());
        assertEquals(4L << 20, s.bytesCached());
        assertEquals((4L << 20) + 512, s.peakBytesInUse());
        allocator.free(b, 100);
        assertEquals(0, allocator.stats().bytesInUse());
    }

    @Test void outOfMemoryReleasesTheCacheAndRetriesOnce() {
        FakeDevice device = new FakeDevice(8L << 20);
        CachingAllocator allocator = new CachingAllocator(device);
        long a = allocator.alloc(6L << 20);
        allocator.free(a, 6L << 20);                    // 6 MiB cached, 2 MiB left on the device
        long b = allocator.alloc(4L << 20);             // needs the cache back
        assertTrue(b != 0);
        assertEquals(List.of("allocate 6291456", "allocate 4194304", "awaitIdle", "release", "allocate 4194304"), device.calls);
        assertEquals(0, allocator.stats().bytesCached());
    }

    @Test void outOfMemoryAfterTheRetryThrowsTheBackingsException() {
        FakeDevice device = new FakeDevice(8L << 20);
        CachingAllocator allocator = new CachingAllocator(device);
        allocator.alloc(6L << 20);
        CudaException e = assertThrows(CudaException.class, () -> allocator.alloc(4L << 20));
        assertTrue(e.getMessage().contains("CUDA_ERROR_OUT_OF_MEMORY"), e.getMessage());
        assertEquals(6L << 20, allocator.stats().bytesInUse());
    }

    @Test void doubleFreeAndWrongSizeAreCaught() {
        CachingAllocator allocator = new CachingAllocator(new FakeDevice(1L << 30));
        long a = allocator.alloc(1000);
        assertThrows(IllegalArgumentException.class, () -> allocator.free(a, 5000));
        allocator.free(a, 1000);
        assertThrows(IllegalArgumentException.class, () -> allocator.free(a, 1000));
    }

    @Test void releaseAllReturnsLiveAndCachedBlocks() {
        FakeDevice device = new FakeDevice(1L << 30);
        CachingAllocator allocator = new CachingAllocator(device);
        long a = allocator.alloc(1000);
        allocator.alloc(5000);
        allocator.free(a, 1000);
        allocator.releaseAll();
        assertEquals(0, device.used);
        assertTrue(device.blocks.isEmpty());
        assertEquals(0, allocator.stats().bytesInUse());
    }
}
