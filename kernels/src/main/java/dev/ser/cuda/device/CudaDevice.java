package dev.ser.cuda.device;

/** PLACEHOLDER (helper B replaces this): the GPU through JCuda's driver API. */
public final class CudaDevice {
    private CudaDevice() {}

    public static Device open() { throw new CudaException("CudaDevice is not written yet"); }
}
