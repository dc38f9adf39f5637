package dev.ser.cuda.backend;

import dev.ser.engine.backend.Backend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Storage;

/** A tensor's elements in device memory, owned by one {@link CudaBackend}; freed when unreachable. */
final class DeviceStorage implements Storage {
    private final CudaBackend backend;
    private final DType dtype;
    private final int size;
    private final long address;

    DeviceStorage(CudaBackend backend, DeviceMemory memory, DType dtype, int size) {
        this.backend = backend;
        this.dtype = dtype;
        this.size = size;
        this.address = memory.allocFor(this, (long) size * dtype.bytes);
    }

    long address() { return address; }

    @Override public DType dtype() { return dtype; }

    @Override public int size() { return size; }

    @Override public Backend backend() { return backend; }
}
