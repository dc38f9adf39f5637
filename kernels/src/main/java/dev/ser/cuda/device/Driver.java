package dev.ser.cuda.device;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * JCuda's driver binding, loaded once, and the one way its status codes become exceptions.
 *
 * <p>JCuda's native library links {@code libcuda.so.1}; on a machine without the NVIDIA driver its
 * static initializer throws an {@link UnsatisfiedLinkError} whose message is a page of nested stack traces,
 * and every later touch of the class is a bare {@link NoClassDefFoundError}. We catch the first, keep a
 * one-line reason, and repeat that reason on every later attempt.
 */
final class Driver {
    private Driver() {}

    private static volatile String unavailable;
    private static volatile boolean loaded;

    /** Loads the binding (once) with JCuda's own exceptions off: every status is checked by {@link #check}. */
    static synchronized void load() {
        if (loaded) return;
        if (unavailable != null) throw new CudaException(unavailable);
        try {
            JCudaDriver.setExceptionsEnabled(false);
            loaded = true;
        } catch (LinkageError e) {
            unavailable = noDriverMessage(e);
            throw new CudaException(unavailable);
        }
    }

    /**
     * One line out of JCuda's load failure: the loader's own complaint about {@code libcuda.so.1} when there is
     * one (JCuda tries the library as a file, then as a resource, and nests both stack traces in the message).
     */
    static String noDriverMessage(Throwable e) {
        String text = e.getMessage() == null ? e.toString() : e.getMessage();
        for (String line : text.split("\\R")) {
            if (line.contains("libcuda.so")) {
                String reason = line.replaceFirst("^.*?(libcuda\\.so)", "$1").trim();
                return "no NVIDIA driver found (libcuda.so.1): " + reason + "; use --device cpu";
            }
        }
        String first = text.lines().findFirst().orElse(text).trim();
        return "the CUDA driver binding (JCuda) could not be loaded: " + first + "; use --device cpu";
    }

    /** Throws {@link CudaException} naming {@code call} unless {@code status} is CUDA_SUCCESS. */
    static void check(int status, String call) { check(status, call, null); }

    static void check(int status, String call, String advice) {
        if (status != CUresult.CUDA_SUCCESS) throw failure(status, call, advice);
    }

    static CudaException failure(int status, String call, String advice) {
        return new CudaException(call, status, errorName(status), advice);
    }

    /** The driver's own name for a status ("CUDA_ERROR_OUT_OF_MEMORY"), or JCuda's table if the driver has none. */
    static String errorName(int status) {
        String[] name = new String[1];
        if (JCudaDriver.cuGetErrorName(status, name) == CUresult.CUDA_SUCCESS && name[0] != null) return name[0];
        return CUresult.stringFor(status);
    }
}
