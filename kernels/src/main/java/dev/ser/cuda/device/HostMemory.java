package dev.ser.cuda.device;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The emulated device's memory: C heap blocks (aligned_alloc, 256-byte aligned as cuMemAlloc's), whose
 * raw addresses are the "device pointers" the kernels receive. Checked: every live block is recorded,
 * so a free of something not allocated (or with the wrong size), a copy that runs past its block, and
 * blocks still live at the end of a test are all caught, with the addresses in the message.
 */
final class HostMemory {
    static final int ALIGNMENT = 256;

    private static final MethodHandle ALIGNED_ALLOC, FREE;

    static {
        Linker linker = Linker.nativeLinker();
        ALIGNED_ALLOC = linker.downcallHandle(linker.defaultLookup().find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(linker.defaultLookup().find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    /** Live blocks: address to the size asked for. */
    private final ConcurrentSkipListMap<Long, Long> live = new ConcurrentSkipListMap<>();

    long alloc(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("alloc of " + bytes + " bytes");
        long rounded = Math.max(ALIGNMENT, (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT);
        long address;
        try {
            address = ((MemorySegment) ALIGNED_ALLOC.invokeExact((long) ALIGNMENT, rounded)).address();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (address == 0) throw new CudaException("aligned_alloc", 2, "out of host memory", "asked for " + rounded + " bytes");
        live.put(address, bytes);
        return address;
    }

    void free(long address, long bytes) {
        Long size = live.get(address);
        if (size == null)
            throw new IllegalStateException("free(0x" + Long.toHexString(address) + ") of memory that is not a live allocation"
                    + " (freed twice, or not from alloc)");
        if (size != bytes)
            throw new IllegalStateException("free(0x" + Long.toHexString(address) + ", " + bytes + ") of a block allocated with "
                    + size + " bytes");
        live.remove(address);
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The bytes [address, address + bytes) as a segment, after checking they lie inside one live block. */
    MemorySegment segment(long address, long bytes, String what) {
        Map.Entry<Long, Long> block = live.floorEntry(address);
        if (block == null || address + bytes > block.getKey() + Math.max(block.getValue(), 0) || bytes < 0)
            throw new IllegalArgumentException(what + ": [0x" + Long.toHexString(address) + ", +" + bytes + ") is not inside a live"
                    + " allocation" + (block == null ? "" : " (nearest below: 0x" + Long.toHexString(block.getKey()) + ", "
                    + block.getValue() + " bytes)"));
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    long liveBytes() { return live.values().stream().mapToLong(Long::longValue).sum(); }

    int liveBlocks() { return live.size(); }

    void freeAll() {
        for (Map.Entry<Long, Long> e : live.entrySet()) free(e.getKey(), e.getValue());
    }
}
