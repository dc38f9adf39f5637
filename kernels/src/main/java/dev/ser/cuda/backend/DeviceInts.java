package dev.ser.cuda.backend;

/** A small int32 array on the device (sequence lengths, class targets), freed explicitly after use. */
final class DeviceInts {
    private final DeviceMemory memory;
    private final long address, bytes;

    DeviceInts(DeviceMemory memory, int count) {
        this.memory = memory;
        this.bytes = 4L * count;
        this.address = memory.alloc(bytes);
    }

    long address() { return address; }

    /** Stream-ordered: a kernel issued before this still reads the values. */
    void free() { memory.free(address, bytes); }
}
