package dev.ser.cuda.device;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * Plain {@code long} addresses in and out of JCuda's pointer objects.
 *
 * <p>JCuda hides a pointer's value: {@code NativePointerObject.getNativePointer()} and
 * {@code Pointer.getByteOffset()} are protected, and there is no public constructor from an address. Its JNI
 * side (jcuda-common {@code PointerUtils.cpp}) reads two fields: a {@code CUdeviceptr} argument becomes
 * {@code nativePointer + byteOffset} ({@code getPointer}); a host {@code Pointer} with neither a buffer nor
 * a pointer array becomes a {@code NativePointerData}, also {@code nativePointer + byteOffset}; a handle
 * such as {@code CUstream} is its {@code nativePointer} alone ({@code getNativePointerValue}). After
 * {@code cuMemAlloc} the JNI code calls {@code setPointer}: {@code nativePointer} = the address,
 * {@code byteOffset} = 0. The subclasses below use exactly those fields through the protected members,
 * so no reflection and no buffers (which would cap a copy at 2 GiB) are involved.
 */
final class RawPointers {
    private RawPointers() {}

    /** A device address as JCuda's {@code CUdeviceptr}; after {@code cuMemAlloc} into it, {@link #address()} is the new block. */
    static final class DevicePointer extends CUdeviceptr {
        DevicePointer() {}

        /** {@code nativePointer} 0 plus {@code byteOffset} = address: what {@code getPointer} sums on the JNI side. */
        private DevicePointer(long address) { super(new CUdeviceptr(), address); }

        static DevicePointer of(long address) { return new DevicePointer(address); }

        long address() { return getNativePointer() + getByteOffset(); }
    }

    /** A host address (native memory, e.g. a {@code MemorySegment}'s) as JCuda's {@code Pointer}. */
    static final class HostPointer extends Pointer {
        private HostPointer(long address) { super(address); }

        static HostPointer of(long address) { return new HostPointer(address); }

        long address() { return getNativePointer() + getByteOffset(); }
    }

    /** A stream whose raw {@code CUstream} handle cuBLAS and cuDNN can be given ({@code cudaStream_t} is the same pointer). */
    static final class RawStream extends CUstream {
        long address() { return getNativePointer(); }
    }
}
