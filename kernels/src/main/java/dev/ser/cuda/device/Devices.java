package dev.ser.cuda.device;

/**
 * Where a {@link Device} comes from: the real GPU ({@link #cuda()}), the CPU emulation of the same
 * kernels ({@link #emulated()}), or the GPU when there is one ({@link #auto()}).
 */
public final class Devices {
    private Devices() {}

    /** The GPU chosen by {@code SER_CUDA_DEVICE} (an index; default 0). Throws {@link CudaException} saying what is missing. */
    public static Device cuda() { return CudaDevice.open(); }

    /** The kernels compiled for the CPU by g++ (tests, teaching); throws {@link CudaException} saying what is missing. */
    public static Device emulated() { return EmulatedDevice.open(); }

    /** The GPU if one can be opened, else null; {@code why} receives the reason when there is none. */
    public static Device cudaOrNull(StringBuilder why) {
        try {
            return cuda();
        } catch (CudaException | LinkageError e) {
            if (why != null) why.append(e.getMessage());
            return null;
        }
    }
}
