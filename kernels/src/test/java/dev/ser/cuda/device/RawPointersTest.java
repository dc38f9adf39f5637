package dev.ser.cuda.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The Java half of the raw-address bridge: the fields JCuda's JNI reads hold the address we put in. (That the
 * JNI half sums nativePointer + byteOffset is read from jcuda-common's PointerUtils.cpp; only a GPU run can
 * confirm it end to end, which CudaDeviceTest does.)
 */
class RawPointersTest {
    @Test void deviceAndHostPointersCarryTheirAddress() {
        long address = 0x7f12_3456_7800L;
        assertEquals(address, RawPointers.DevicePointer.of(address).address());
        assertEquals(address, RawPointers.HostPointer.of(address).address());
        assertEquals(0, new RawPointers.DevicePointer().address());
        assertEquals(0, new RawPointers.RawStream().address());
    }

    @Test void jcudasToStringShowsTheOffsetWeSet() {
        // CUdeviceptr.toString prints nativePointer and byteOffset: our address lives in byteOffset.
        String s = RawPointers.DevicePointer.of(0x1000).toString();
        assertEquals(true, s.contains("0x0") && s.contains("4096"), s);
    }
}
