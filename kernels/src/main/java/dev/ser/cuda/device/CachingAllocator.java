package dev.ser.cuda.device;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory handed out from a cache of freed blocks, as PyTorch's CUDA caching allocator does in spirit:
 * {@code cuMemAlloc}/{@code cuMemFree} cost tens of microseconds and {@code cuMemFree} waits for the whole
 * device, while a training step frees and reallocates the same few sizes thousands of times.
 *
 * <p>Requests are rounded up to a size class: multiples of 512 bytes below 1 MiB (small tensors: biases,
 * per-row statistics), multiples of 2 MiB above (activations, weight matrices; the coarse step lets a
 * batch of slightly different length reuse the previous batch's blocks). A freed block goes back to the list
 * of its class and is reused only for the same class, never split. Reuse needs no synchronization because
 * all work runs on one in-order stream: whatever a later kernel writes into a reused block is ordered after
 * every earlier kernel that read it.
 *
 * <p>When the device is out of memory the cache is returned to the driver and the request retried once.
 * The methods are synchronized, so a device may pass from thread to thread.
 */
public final class CachingAllocator {
    /** What the cache sits on: the driver, or a fake in tests. */
    public interface Backing {
        /** A fresh block of exactly {@code bytes}, or 0 when the device has no room for it; other failures throw. */
        long allocate(long bytes);

        void release(long address);

        /** Waits until no queued work can still touch a freed block, before blocks go back to the driver. */
        void awaitIdle();

        /** What to throw when even an emptied cache leaves no room for {@code bytes}. */
        RuntimeException outOfMemory(long bytes, Stats stats);
    }

    /** For benchmarks and out-of-memory messages; sizes are the rounded block sizes. */
    public record Stats(long bytesInUse, long bytesCached, long peakBytesInUse, long allocations, long servedFromCache) {}

    static final long SMALL_LIMIT = 1L << 20;
    static final long SMALL_GRANULE = 512;
    static final long LARGE_GRANULE = 2L << 20;

    private final Backing backing;
    private final Map<Long, ArrayDeque<Long>> freeBlocks = new HashMap<>();
    private final Map<Long, Long> liveBlocks = new HashMap<>();
    private long bytesInUse;
    private long bytesCached;
    private long peakBytesInUse;
    private long allocations;
    private long servedFromCache;

    public CachingAllocator(Backing backing) { this.backing = backing; }

    /** The size class of a request: the block size actually reserved for it. */
    public static long sizeClass(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation: " + bytes + " bytes");
        long granule = bytes <= SMALL_LIMIT ? SMALL_GRANULE : LARGE_GRANULE;
        return Math.max(granule, Math.ceilDiv(bytes, granule) * granule);
    }

    public synchronized long alloc(long bytes) {
        long size = sizeClass(bytes);
        allocations++;
        long address;
        ArrayDeque<Long> cached = freeBlocks.get(size);
        if (cached != null && !cached.isEmpty()) {
            address = cached.pop();
            bytesCached -= size;
            servedFromCache++;
        } else {
            address = backing.allocate(size);
            if (address == 0) {
                releaseCached();
                address = backing.allocate(size);
                if (address == 0) throw backing.outOfMemory(bytes, stats());
            }
        }
        liveBlocks.put(address, size);
        bytesInUse += size;
        peakBytesInUse = Math.max(peakBytesInUse, bytesInUse);
        return address;
    }

    /** Returns a block to the cache; {@code bytes} must be what it was allocated with (a cheap check against mix-ups). */
    public synchronized void free(long address, long bytes) {
        Long size = liveBlocks.remove(address);
        if (size == null) throw new IllegalArgumentException("free of 0x" + Long.toHexString(address) + ": not a live block of this allocator (freed twice?)");
        if (size != sizeClass(bytes)) {
            liveBlocks.put(address, size);
            throw new IllegalArgumentException("free of 0x" + Long.toHexString(address) + " with " + bytes + " bytes, but it was allocated in the " + size + "-byte class");
        }
        freeBlocks.computeIfAbsent(size, s -> new ArrayDeque<>()).push(address);
        bytesInUse -= size;
        bytesCached += size;
    }

    /** Gives every cached block back to the driver (after the stream has drained). */
    public synchronized void releaseCached() {
        if (bytesCached == 0) return;
        backing.awaitIdle();
        for (ArrayDeque<Long> blocks : freeBlocks.values()) {
            for (long address : blocks) backing.release(address);
        }
        freeBlocks.clear();
        bytesCached = 0;
    }

    /** Releases cached and live blocks alike: the device is closing, nothing may use its memory any more. */
    public synchronized void releaseAll() {
        backing.awaitIdle();
        for (ArrayDeque<Long> blocks : freeBlocks.values()) {
            for (long address : blocks) backing.release(address);
        }
        for (long address : liveBlocks.keySet()) backing.release(address);
        freeBlocks.clear();
        liveBlocks.clear();
        bytesCached = 0;
        bytesInUse = 0;
    }

    public synchronized Stats stats() {
        return new Stats(bytesInUse, bytesCached, peakBytesInUse, allocations, servedFromCache);
    }
}
