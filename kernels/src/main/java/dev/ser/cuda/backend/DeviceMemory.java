package dev.ser.cuda.backend;

import dev.ser.cuda.device.CudaException;
import dev.ser.cuda.device.Device;

import java.lang.ref.Cleaner;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Device memory for the backend, with two lifetimes. Tensors' memory is freed when the tensor becomes
 * unreachable (a {@link Cleaner} queues it; the thread that next allocates returns it to the device,
 * so the device is only ever called from the backend's thread). Workspaces (the LSTM's gates and saved
 * states, the bulk of a training step) are freed explicitly as soon as the backward has used them.
 *
 * <p>The Java heap does not see device memory, so garbage collection may come late: every
 * {@code ser.cuda.gcHintBytes} (default 1 GiB) of tensor memory allocated we ask for a collection, and an
 * out-of-memory failure collects, drains and retries before it reaches the caller.
 */
final class DeviceMemory {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final long GC_HINT_BYTES = Long.getLong("ser.cuda.gcHintBytes", 1L << 30);
    private static final int CUDA_ERROR_OUT_OF_MEMORY = 2;

    private final Device device;
    private final ConcurrentLinkedQueue<long[]> unreachable = new ConcurrentLinkedQueue<>();
    private long tensorBytesSinceHint;

    DeviceMemory(Device device) { this.device = device; }

    /** Memory the caller frees with {@link #free}. At least one byte is allocated, so every address is distinct. */
    long alloc(long bytes) {
        returnUnreachable();
        long size = Math.max(bytes, 1);
        try {
            return device.alloc(size);
        } catch (CudaException e) {
            if (e.status() != CUDA_ERROR_OUT_OF_MEMORY) throw e;
            // Tensors nobody holds may still own memory: collect them, return it, and try once more.
            System.gc();
            sleepBriefly();
            returnUnreachable();
            return device.alloc(size);
        }
    }

    void free(long address, long bytes) { device.free(address, Math.max(bytes, 1)); }

    /** Memory that returns to the device once {@code owner} is unreachable. */
    long allocFor(Object owner, long bytes) {
        long address = alloc(bytes);
        long size = Math.max(bytes, 1);
        CLEANER.register(owner, () -> unreachable.add(new long[]{address, size}));
        tensorBytesSinceHint += size;
        if (tensorBytesSinceHint > GC_HINT_BYTES) {
            tensorBytesSinceHint = 0;
            System.gc();
        }
        return address;
    }

    private void returnUnreachable() {
        for (long[] block; (block = unreachable.poll()) != null; ) device.free(block[0], block[1]);
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20); // the Cleaner thread runs the actions of what the collection found
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
