package dev.ser.cuda.device;

/** PLACEHOLDER (helper A replaces this): the kernels compiled for the CPU. */
public final class EmulatedDevice {
    private EmulatedDevice() {}

    public static Device open() { throw new CudaException("EmulatedDevice is not written yet"); }
}
