package dev.ser.cuda.blas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ser.cuda.device.Blas;
import dev.ser.cuda.device.CudaException;
import dev.ser.cuda.device.NativeLibraries;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * cuBLAS through {@code java.lang.foreign}, on the device's stream. One handle per device; cuBLAS works in the
 * CUDA context current on the calling thread, so every call first runs the device's {@code makeCurrent}.
 * alpha and beta are host pointers (CUBLAS_POINTER_MODE_HOST, the handle's default), read during the call.
 *
 * <p>Signatures from cublas_api.h (CUDA 12 and 13 alike): {@code cublasStatus_t} and the enums are C
 * {@code int}s, handles and streams are pointers, m/n/k/ld/batchCount are {@code int}, strides
 * {@code long long}. The {@code _v2} names are the exported symbols behind cublas_v2.h's macros.
 */
public final class Cublas implements Blas {
    private static final int CUBLAS_OP_N = 0;
    private static final int CUBLAS_OP_T = 1;
    private static final int CUBLAS_DEFAULT_MATH = 0;
    /** Lets SGEMM round its inputs to TF32 (10-bit mantissa) on tensor cores; cublasMath_t in cublas_api.h. */
    private static final int CUBLAS_TF32_TENSOR_OP_MATH = 3;

    private static final int CUBLAS_STATUS_NOT_INITIALIZED = 1;
    private static final int CUBLAS_STATUS_ALLOC_FAILED = 3;
    private static final int CUBLAS_STATUS_INVALID_VALUE = 7;
    private static final int CUBLAS_STATUS_ARCH_MISMATCH = 8;

    /** The library's entry points, bound once per JVM. */
    private record Functions(MethodHandle create, MethodHandle destroy, MethodHandle setStream, MethodHandle setMathMode,
                             MethodHandle getVersion, MethodHandle statusName, MethodHandle sgemm, MethodHandle dgemm,
                             String path) {}

    private static Functions functions;

    private final Functions f;
    private final MemorySegment handle;
    private final Runnable makeCurrent;
    private final String description;
    private boolean closed;

    private Cublas(Functions f, MemorySegment handle, Runnable makeCurrent, String description) {
        this.f = f;
        this.handle = handle;
        this.makeCurrent = makeCurrent;
        this.description = description;
    }

    /**
     * A handle whose work goes to {@code stream} (a raw CUstream), in the context that {@code makeCurrent}
     * binds to the calling thread. Throws {@link CudaException} when cuBLAS is not installed where we look.
     */
    public static Cublas create(long stream, Runnable makeCurrent) {
        Functions f = functions();
        makeCurrent.run();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check(f, (int) f.create.invokeExact(out), "cublasCreate_v2", null);
            MemorySegment handle = out.get(ADDRESS, 0);
            check(f, (int) f.setStream.invokeExact(handle, MemorySegment.ofAddress(stream)), "cublasSetStream_v2", null);
            MemorySegment version = arena.allocate(JAVA_INT);
            check(f, (int) f.getVersion.invokeExact(handle, version), "cublasGetVersion_v2", null);
            return new Cublas(f, handle, makeCurrent, "cuBLAS " + version(version.get(JAVA_INT, 0)) + " (" + f.path + ")");
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling cuBLAS", t);
        }
    }

    /** CUBLAS_VERSION = 10000 * major + 100 * minor + patch, e.g. 130002 is "13.0.2". */
    static String version(int v) { return v / 10000 + "." + v % 10000 / 100 + "." + v % 100; }

    private static synchronized Functions functions() {
        if (functions != null) return functions;
        NativeLibraries.Loaded lib = NativeLibraries.load(NativeLibraries.CUBLAS);
        Linker linker = Linker.nativeLinker();
        java.util.function.BiFunction<String, FunctionDescriptor, MethodHandle> bind = (name, descriptor) ->
                linker.downcallHandle(lib.symbols().find(name).orElseThrow(() -> new CudaException(
                        lib.path() + " has no symbol " + name + ": it is older than cuBLAS 11.4.2 or not cuBLAS; point SER_CUBLAS_LIB at a CUDA 12 or 13 copy")), descriptor);
        FunctionDescriptor gemm = FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT,            // handle, transa, transb
                JAVA_INT, JAVA_INT, JAVA_INT,           // m, n, k
                ADDRESS,                                // alpha (host)
                ADDRESS, JAVA_INT, JAVA_LONG,           // A, lda, strideA
                ADDRESS, JAVA_INT, JAVA_LONG,           // B, ldb, strideB
                ADDRESS,                                // beta (host)
                ADDRESS, JAVA_INT, JAVA_LONG,           // C, ldc, strideC
                JAVA_INT);                              // batchCount
        functions = new Functions(
                bind.apply("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                bind.apply("cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                bind.apply("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                bind.apply("cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
                bind.apply("cublasGetVersion_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                bind.apply("cublasGetStatusName", FunctionDescriptor.of(ADDRESS, JAVA_INT)),
                bind.apply("cublasSgemmStridedBatched", gemm),
                bind.apply("cublasDgemmStridedBatched", gemm),
                lib.path());
        return functions;
    }

    @Override public void gemmStridedBatched(Precision precision, boolean transA, boolean transB, int m, int n, int k,
                                             double alpha, long a, int lda, long strideA, long b, int ldb, long strideB,
                                             double beta, long c, int ldc, long strideC, int batch) {
        if (closed) throw new IllegalStateException("cuBLAS handle is closed");
        makeCurrent.run();
        int opA = transA ? CUBLAS_OP_T : CUBLAS_OP_N, opB = transB ? CUBLAS_OP_T : CUBLAS_OP_N;
        String call = precision == Precision.F32 ? "cublasSgemmStridedBatched" : "cublasDgemmStridedBatched";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment alphaHost, betaHost;
            MethodHandle gemm;
            if (precision == Precision.F32) {
                alphaHost = arena.allocateFrom(JAVA_FLOAT, (float) alpha);
                betaHost = arena.allocateFrom(JAVA_FLOAT, (float) beta);
                gemm = f.sgemm;
            } else {
                alphaHost = arena.allocateFrom(JAVA_DOUBLE, alpha);
                betaHost = arena.allocateFrom(JAVA_DOUBLE, beta);
                gemm = f.dgemm;
            }
            int status = (int) gemm.invokeExact(handle, opA, opB, m, n, k, alphaHost,
                    MemorySegment.ofAddress(a), lda, strideA, MemorySegment.ofAddress(b), ldb, strideB,
                    betaHost, MemorySegment.ofAddress(c), ldc, strideC, batch);
            if (status != 0) {
                String shape = "m=" + m + " n=" + n + " k=" + k + " op(A)=" + (transA ? "T" : "N") + " op(B)=" + (transB ? "T" : "N")
                        + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " strides " + strideA + "/" + strideB + "/" + strideC + " batch=" + batch;
                check(f, status, call, shape);
            }
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling " + call, t);
        }
    }

    @Override public void setTf32(boolean enabled) {
        makeCurrent.run();
        try {
            check(f, (int) f.setMathMode.invokeExact(handle, enabled ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH), "cublasSetMathMode", null);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling cublasSetMathMode", t);
        }
    }

    @Override public String description() { return description; }

    /** Destroys the handle (the device is closing); the context must still be alive. */
    public void close() {
        if (closed) return;
        closed = true;
        makeCurrent.run();
        try {
            int status = (int) f.destroy.invokeExact(handle);
            check(f, status, "cublasDestroy_v2", null);
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling cublasDestroy_v2", t);
        }
    }

    private static void check(Functions f, int status, String call, String detail) throws Throwable {
        if (status == 0) return;
        MemorySegment name = (MemorySegment) f.statusName.invokeExact(status);
        String statusName = name.equals(MemorySegment.NULL) ? "CUBLAS_STATUS_" + status : name.reinterpret(256).getString(0);
        throw new CudaException(call, status, statusName, advice(status, detail));
    }

    /** What each status usually means for us; {@code detail} is the call's arguments where they matter. */
    static String advice(int status, String detail) {
        String hint = switch (status) {
            case CUBLAS_STATUS_NOT_INITIALIZED -> "cuBLAS could not start: is the CUDA context alive and is some GPU memory free?";
            case CUBLAS_STATUS_ALLOC_FAILED -> "cuBLAS could not allocate its workspace: the GPU is out of memory; lower --batch-size";
            case CUBLAS_STATUS_INVALID_VALUE -> "an argument is out of range: m, n, k, batch >= 0, and each leading dimension >= the rows of its matrix as stored (column-major)";
            case CUBLAS_STATUS_ARCH_MISMATCH -> "this GPU lacks a feature the call needs";
            default -> null;
        };
        if (hint == null) return detail;
        return detail == null ? hint : hint + " (" + detail + ")";
    }
}
