package dev.ser.cuda.cudnn;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.ser.cuda.device.CudaException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A cuDNN handle through {@code java.lang.foreign}, on the device's stream (cuDNN 9's {@code libcudnn.so.9},
 * found as {@code NativeLibraries} finds every CUDA library: {@code SER_CUDNN_LIB}, {@code SER_CUDA_LIB_DIR},
 * the toolkit, PyTorch's pip wheels, the system loader). cuDNN works in the CUDA context current on the calling
 * thread, so every call first runs the device's {@code makeCurrent}, as {@code Cublas} does.
 *
 * <p>Only the RNN is bound ({@link #lstm}): the v8 RNN API of cuDNN 8, which cuDNN 9 keeps (checked against
 * cuDNN 9.6.0's cudnn_adv.h). Every failing status becomes a {@link CudaException} naming the call, the status
 * (cudnnGetErrorString), cuDNN's own last message (cudnnGetLastErrorString) and the shape being run.
 */
public final class Cudnn implements AutoCloseable {
    final CudnnFunctions f;
    final MemorySegment handle;
    final Runnable makeCurrent;
    private final String description;
    private boolean closed;

    private Cudnn(CudnnFunctions f, MemorySegment handle, Runnable makeCurrent, String description) {
        this.f = f;
        this.handle = handle;
        this.makeCurrent = makeCurrent;
        this.description = description;
    }

    /**
     * A handle whose work goes to {@code stream} (a raw CUstream), in the context {@code makeCurrent} binds.
     * Throws {@link CudaException} when cuDNN 9 is not installed where we look (the message lists the places
     * and says to set SER_CUDNN_LIB).
     */
    public static Cudnn create(long stream, Runnable makeCurrent) {
        CudnnFunctions f = CudnnFunctions.get();
        makeCurrent.run();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check(f, (int) f.create.invokeExact(out), "cudnnCreate", null);
            MemorySegment handle = out.get(ADDRESS, 0);
            check(f, (int) f.setStream.invokeExact(handle, MemorySegment.ofAddress(stream)), "cudnnSetStream", null);
            long v = (long) f.getVersion.invokeExact();
            if (v / 10000 < 9)
                throw new CudaException(f.path + " reports cuDNN version " + v + ": cuDNN 9 is needed; point SER_CUDNN_LIB at a libcudnn.so.9");
            return new Cudnn(f, handle, makeCurrent, "cuDNN " + version(v) + " (" + f.path + ")");
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling cuDNN", t);
        }
    }

    /** cuDNN 9's CUDNN_VERSION = 10000 * major + 100 * minor + patch (cudnn_version.h), e.g. 90600 is "9.6.0". */
    static String version(long v) { return v / 10000 + "." + v % 10000 / 100 + "." + v % 100; }

    /** E.g. "cuDNN 9.6.0 (/usr/lib/python3/dist-packages/nvidia/cudnn/lib/libcudnn.so.9)". */
    public String description() { return description; }

    /** The descriptors of one LSTM call (see {@link CudnnRnn}); close it when its backward has run. */
    public CudnnRnn lstm(RnnShape shape) {
        if (closed) throw new IllegalStateException("cuDNN handle is closed");
        return new CudnnRnn(this, shape);
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        makeCurrent.run();
        try {
            check(f, (int) f.destroy.invokeExact(handle), "cudnnDestroy", null);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling cudnnDestroy", t);
        }
    }

    void check(int status, String call, String detail) throws Throwable { check(f, status, call, detail); }

    private static void check(CudnnFunctions f, int status, String call, String detail) throws Throwable {
        if (status == CudnnConstants.CUDNN_STATUS_SUCCESS) return;
        MemorySegment name = (MemorySegment) f.getErrorString.invokeExact(status);
        String statusName = name.equals(MemorySegment.NULL) ? "CUDNN_STATUS_" + status : name.reinterpret(256).getString(0);
        String last = null;
        if (f.getLastErrorString != null) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment message = arena.allocate(1024);
                f.getLastErrorString.invokeExact(message, 1024L);
                last = message.getString(0).strip();
            }
        }
        String advice = advice(status, detail);
        if (last != null && !last.isEmpty()) advice = (advice == null ? "" : advice + ". ") + "cuDNN says: " + last;
        throw new CudaException(call, status, statusName, advice);
    }

    /** What a status usually means for us; {@code detail} is the shape being run. Categories per cudnn_graph.h (1000s). */
    static String advice(int status, String detail) {
        String hint = switch (status / 1000 * 1000) {
            case 1000 -> status == CudnnConstants.CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED
                    ? "cuDNN could not load a sub-library (libcudnn_adv.so.9 for the RNN) beside libcudnn.so.9: put that directory on LD_LIBRARY_PATH or SER_CUDNN_LIB"
                    : "cuDNN could not start: is the CUDA context alive, and does this cuDNN support the driver?";
            case 2000 -> "an argument cuDNN refuses (sizes, lengths, a null pointer)";
            case 3000 -> "this cuDNN does not support the configuration on this GPU";
            case 4000 -> status == CudnnConstants.CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED
                    ? "cuDNN could not allocate GPU memory: lower --batch-size" : "an internal cuDNN error";
            case 5000 -> "a cuDNN kernel failed on the GPU";
            default -> null;
        };
        if (hint == null) return detail;
        return detail == null ? hint : hint + " (" + detail + ")";
    }
}
