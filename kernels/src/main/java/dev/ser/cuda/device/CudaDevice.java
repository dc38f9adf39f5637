package dev.ser.cuda.device;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuFuncGetAttribute;
import static jcuda.driver.JCudaDriver.cuFuncSetAttribute;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchCooperativeKernel;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;
import static jcuda.driver.JCudaDriver.cuOccupancyMaxActiveBlocksPerMultiprocessor;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import dev.ser.cuda.blas.Cublas;
import dev.ser.cuda.device.RawPointers.DevicePointer;
import dev.ser.cuda.device.RawPointers.HostPointer;
import dev.ser.cuda.device.RawPointers.RawStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream_flags;

/**
 * The GPU through JCuda's driver API: the device's primary context, one non-blocking stream for all work,
 * a {@link CachingAllocator} over {@code cuMemAlloc}, the project's kernels from {@code kernels.fatbin},
 * and cuBLAS on the same stream.
 *
 * <p>Threads: the primary context is made current on whichever thread calls (a thread-local check, so a
 * call on the thread that used the device last costs nothing); the backend uses the device from one thread
 * at a time.
 *
 * <p>Copies from the host are stream-ordered and complete on return: {@code cuMemcpyHtoDAsync} on our stream
 * (so it runs after every earlier launch, which may still read the destination), then a stream
 * synchronize (so the caller may reuse or free its buffer at once; for pageable memory the driver only
 * promises the copy "might be synchronous"). The plain {@code cuMemcpyHtoD} would be wrong here: it runs on
 * the legacy default stream, which does not wait for a non-blocking stream, and for pageable memory it may
 * return before the data has reached the device. The price is one stream drain per upload; pinned
 * double-buffered staging would remove it if profiles ever show the drain.
 */
public final class CudaDevice implements Device {
    /** The device whose context is current on each thread, so that switching costs one cuCtxSetCurrent. */
    private static final ThreadLocal<CudaDevice> CURRENT = new ThreadLocal<>();
    /** CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE (cuda.h): more blocks than can be resident at once. */
    private static final int CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE = 720;
    /** Dynamic shared memory a kernel may use without cuFuncSetAttribute. */
    private static final int DEFAULT_DYNAMIC_SHARED = 48 * 1024;
    /** CUDA_ERROR_INSUFFICIENT_DRIVER (cuda.h); JCuda 12.6's CUresult lacks the constant. */
    private static final int CUDA_ERROR_INSUFFICIENT_DRIVER = 35;

    private final CUdevice device;
    private final CUcontext context;
    private final RawStream stream;
    private final String name;
    private final CachingAllocator allocator;
    private final KernelModule kernels = new KernelModule();
    private Cublas blas;
    private volatile String lastLaunch;
    private boolean closed;
    /** Per kernel, the CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES set so far (absent: the default 48 KiB). */
    private final Map<String, Integer> sharedOptIn = new HashMap<>();
    private int multiprocessors = -1, sharedOptInLimit = -1, cooperativeSupported = -1;

    private CudaDevice(CUdevice device, CUcontext context, RawStream stream, String name) {
        this.device = device;
        this.context = context;
        this.stream = stream;
        this.name = name;
        this.allocator = new CachingAllocator(new DriverMemory());
    }

    /** The GPU chosen by {@code SER_CUDA_DEVICE} (default 0); CUDA_VISIBLE_DEVICES applies first, as everywhere. */
    public static Device open() { return open(System.getenv("SER_CUDA_DEVICE")); }

    static CudaDevice open(String indexSetting) {
        Driver.load();
        int status = cuInit(0);
        if (status == CUresult.CUDA_ERROR_NO_DEVICE) throw new CudaException("no CUDA device found (cuInit: CUDA_ERROR_NO_DEVICE): check nvidia-smi and CUDA_VISIBLE_DEVICES, or use --device cpu");
        if (status == CUDA_ERROR_INSUFFICIENT_DRIVER) throw new CudaException("the NVIDIA driver is older than this CUDA binding needs (cuInit: CUDA_ERROR_INSUFFICIENT_DRIVER): update the driver, or use --device cpu");
        Driver.check(status, "cuInit");
        int index = deviceIndex(indexSetting);
        int[] count = new int[1];
        Driver.check(cuDeviceGetCount(count), "cuDeviceGetCount");
        if (count[0] == 0) throw new CudaException("no CUDA device found: check nvidia-smi and CUDA_VISIBLE_DEVICES, or use --device cpu");
        if (index >= count[0]) throw new CudaException("SER_CUDA_DEVICE=" + index + " but there " + (count[0] == 1 ? "is 1 CUDA device (index 0)" : "are " + count[0] + " CUDA devices (indices 0.." + (count[0] - 1) + ")"));

        CUdevice device = new CUdevice();
        Driver.check(cuDeviceGet(device, index), "cuDeviceGet(" + index + ")");
        CUcontext context = new CUcontext();
        Driver.check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        try {
            Driver.check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            RawStream stream = new RawStream();
            // Non-blocking: the stream never waits for the legacy default stream, which other code in the
            // process (a library, a JCuda runtime call) might be using.
            Driver.check(cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
            CudaDevice d = new CudaDevice(device, context, stream, describe(device));
            CURRENT.set(d);
            return d;
        } catch (RuntimeException e) {
            cuDevicePrimaryCtxRelease(device);
            throw e;
        }
    }

    static int deviceIndex(String setting) {
        if (setting == null || setting.isBlank()) return 0;
        try {
            int index = Integer.parseInt(setting.trim());
            if (index >= 0) return index;
        } catch (NumberFormatException ignored) {
            // falls through to the message below
        }
        throw new CudaException("SER_CUDA_DEVICE='" + setting + "' is not a device index: use 0, 1, ... as listed by nvidia-smi (after CUDA_VISIBLE_DEVICES)");
    }

    /** "NVIDIA H200 (sm_90, 139 GiB, driver 13.0)". */
    private static String describe(CUdevice device) {
        byte[] raw = new byte[256];
        Driver.check(cuDeviceGetName(raw, raw.length, device), "cuDeviceGetName");
        int end = 0;
        while (end < raw.length && raw[end] != 0) end++;
        int[] major = new int[1], minor = new int[1], driver = new int[1];
        long[] total = new long[1];
        Driver.check(cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "cuDeviceGetAttribute");
        Driver.check(cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "cuDeviceGetAttribute");
        Driver.check(cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
        Driver.check(cuDriverGetVersion(driver), "cuDriverGetVersion");
        return new String(raw, 0, end, StandardCharsets.UTF_8) + " (sm_" + major[0] + minor[0] + ", "
                + Math.round(total[0] / (double) (1L << 30)) + " GiB, driver " + driverVersion(driver[0]) + ")";
    }

    /** cuDriverGetVersion's 1000 * major + 10 * minor (13000 for CUDA 13.0) as "13.0". */
    static String driverVersion(int encoded) { return encoded / 1000 + "." + encoded % 1000 / 10; }

    @Override public String name() { return name; }

    /** Makes this device's context current on the calling thread (cuBLAS and cuDNN use the current context too). */
    public void makeCurrent() {
        if (closed) throw new IllegalStateException(name + " is closed");
        if (CURRENT.get() == this) return;
        Driver.check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
        CURRENT.set(this);
    }

    /** The raw {@code CUstream} (= {@code cudaStream_t}) all work runs on, for cuBLAS and cuDNN. */
    public long streamHandle() { return stream.address(); }

    RawStream stream() { return stream; }

    @Override public long alloc(long bytes) {
        makeCurrent();
        return allocator.alloc(bytes);
    }

    @Override public void free(long address, long bytes) { allocator.free(address, bytes); }

    /** Bytes in use, cached, peak, and cache hits: for benchmarks. */
    public CachingAllocator.Stats memoryStats() { return allocator.stats(); }

    @Override public void copyToDevice(MemorySegment src, long dst, long bytes) {
        checkRange("copyToDevice", src, bytes);
        makeCurrent();
        if (bytes == 0) return;
        if (src.heapBase().isEmpty()) {
            uploadAndWait(src.address(), dst, bytes);
        } else {
            // A heap segment has no stable address to give the driver: copy it into native memory first.
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment staging = arena.allocate(bytes, 16);
                MemorySegment.copy(src, 0, staging, 0, bytes);
                uploadAndWait(staging.address(), dst, bytes);
            }
        }
    }

    private void uploadAndWait(long host, long dst, long bytes) {
        Driver.check(cuMemcpyHtoDAsync(DevicePointer.of(dst), HostPointer.of(host), bytes, stream), "cuMemcpyHtoDAsync");
        synchronize();
    }

    @Override public void copyToHost(long src, MemorySegment dst, long bytes) {
        checkRange("copyToHost", dst, bytes);
        makeCurrent();
        if (bytes == 0) {
            synchronize();
            return;
        }
        if (dst.heapBase().isEmpty()) {
            downloadAndWait(src, dst.address(), bytes);
        } else {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment staging = arena.allocate(bytes, 16);
                downloadAndWait(src, staging.address(), bytes);
                MemorySegment.copy(staging, 0, dst, 0, bytes);
            }
        }
    }

    /** Queued behind every earlier launch on our stream, so it "waits for the stream, then copies". */
    private void downloadAndWait(long src, long host, long bytes) {
        Driver.check(cuMemcpyDtoHAsync(HostPointer.of(host), DevicePointer.of(src), bytes, stream), "cuMemcpyDtoHAsync");
        synchronize();
    }

    private static void checkRange(String call, MemorySegment host, long bytes) {
        if (bytes < 0 || bytes > host.byteSize()) throw new IllegalArgumentException(call + " of " + bytes + " bytes with a host segment of " + host.byteSize() + " bytes");
    }

    @Override public void copyOnDevice(long src, long dst, long bytes) {
        makeCurrent();
        if (bytes == 0) return;
        Driver.check(cuMemcpyDtoDAsync(DevicePointer.of(dst), DevicePointer.of(src), bytes, stream), "cuMemcpyDtoDAsync");
    }

    @Override public void zero(long dst, long bytes) {
        makeCurrent();
        if (bytes == 0) return;
        Driver.check(cuMemsetD8Async(DevicePointer.of(dst), (byte) 0, bytes, stream), "cuMemsetD8Async");
    }

    @Override public void launch(String kernel, Dim3 grid, Dim3 block, int sharedBytes, KernelArgs args) {
        makeCurrent();
        var function = kernels.function(kernel);
        try (Arena arena = Arena.ofConfined()) {
            // kernelParams is a void**: JCuda passes a Pointer built on a raw address through unchanged
            // (NativePointerData), so the driver reads our void*[] and copies the values before returning.
            MemorySegment params = args.pointerArray(arena);
            int status = cuLaunchKernel(function, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                    sharedBytes, stream, HostPointer.of(params.address()), null);
            if (status != CUresult.CUDA_SUCCESS) throw Driver.failure(status, "cuLaunchKernel(" + kernel + ")", launchAdvice(status, grid, block, sharedBytes, args));
        }
        lastLaunch = kernel;
    }

    /**
     * cuLaunchCooperativeKernel on our stream, after raising the kernel's dynamic shared memory limit when
     * {@code sharedBytes} is over 48 KiB. The device refuses a grid larger than can be resident
     * (CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE) rather than deadlocking at the barrier.
     */
    @Override public void launchCooperative(String kernel, Dim3 grid, Dim3 block, int sharedBytes, KernelArgs args) {
        makeCurrent();
        if (!cooperativeLaunches()) throw new CudaException(name + " does not support cooperative launches (CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH is 0): " + kernel);
        CUfunction function = kernels.function(kernel);
        allowDynamicShared(kernel, function, sharedBytes);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = args.pointerArray(arena);
            int status = cuLaunchCooperativeKernel(function, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                    sharedBytes, stream, HostPointer.of(params.address()));
            if (status != CUresult.CUDA_SUCCESS) {
                String advice = status == CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE
                        ? "grid " + extent(grid) + " of blocks of " + extent(block) + " with " + sharedBytes + " bytes of shared memory: more blocks than "
                          + name + " can hold at once (" + maxCooperativeBlocks(kernel, block.x() * block.y() * block.z(), sharedBytes) + "); ask maxCooperativeBlocks first"
                        : launchAdvice(status, grid, block, sharedBytes, args);
                throw Driver.failure(status, "cuLaunchCooperativeKernel(" + kernel + ")", advice);
            }
        }
        lastLaunch = kernel;
    }

    /** Occupancy (cuOccupancyMaxActiveBlocksPerMultiprocessor) times the multiprocessors; 0 if it cannot run. */
    @Override public int maxCooperativeBlocks(String kernel, int threadsPerBlock, int sharedBytes) {
        makeCurrent();
        if (!cooperativeLaunches() || sharedBytes > maxDynamicSharedBytes() || threadsPerBlock < 1 || threadsPerBlock > 1024) return 0;
        CUfunction function = kernels.function(kernel);
        int[] limit = new int[1];
        Driver.check(cuFuncGetAttribute(limit, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, function), "cuFuncGetAttribute(" + kernel + ")");
        if (threadsPerBlock > limit[0]) return 0; // too many registers a thread for a block this size
        allowDynamicShared(kernel, function, sharedBytes);
        int[] perSm = new int[1];
        Driver.check(cuOccupancyMaxActiveBlocksPerMultiprocessor(perSm, function, threadsPerBlock, sharedBytes),
                "cuOccupancyMaxActiveBlocksPerMultiprocessor(" + kernel + ", " + threadsPerBlock + " threads, " + sharedBytes + " bytes)");
        return perSm[0] * multiprocessors();
    }

    /** CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN. */
    @Override public synchronized int maxDynamicSharedBytes() {
        if (sharedOptInLimit < 0) sharedOptInLimit = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
        return sharedOptInLimit;
    }

    @Override public synchronized int multiprocessors() {
        if (multiprocessors < 0) multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        return multiprocessors;
    }

    private synchronized boolean cooperativeLaunches() {
        if (cooperativeSupported < 0) cooperativeSupported = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH);
        return cooperativeSupported != 0;
    }

    private int attribute(int which) {
        makeCurrent();
        int[] value = new int[1];
        Driver.check(cuDeviceGetAttribute(value, which, device), "cuDeviceGetAttribute(" + which + ")");
        return value[0];
    }

    /** Over 48 KiB a kernel must opt in (cuFuncSetAttribute), both for the launch and for the occupancy query. */
    private synchronized void allowDynamicShared(String kernel, CUfunction function, int sharedBytes) {
        if (sharedBytes <= DEFAULT_DYNAMIC_SHARED || sharedBytes <= sharedOptIn.getOrDefault(kernel, DEFAULT_DYNAMIC_SHARED)) return;
        Driver.check(cuFuncSetAttribute(function, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, sharedBytes),
                "cuFuncSetAttribute(" + kernel + ", MAX_DYNAMIC_SHARED_SIZE_BYTES, " + sharedBytes + ")",
                "the device's opt-in limit is " + maxDynamicSharedBytes() + " bytes a block");
        sharedOptIn.put(kernel, sharedBytes);
    }

    private static String launchAdvice(int status, Dim3 grid, Dim3 block, int sharedBytes, KernelArgs args) {
        String config = "grid " + extent(grid) + ", block " + extent(block) + ", " + sharedBytes + " bytes of dynamic shared memory, " + args.size() + " arguments";
        return switch (status) {
            case CUresult.CUDA_ERROR_INVALID_VALUE -> config + ": a block holds at most 1024 threads, grid y and z at most 65535, and the arguments must match the kernel's parameters";
            case CUresult.CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES -> config + ": too many registers or too much shared memory for this block size; launch smaller blocks";
            default -> config;
        };
    }

    private static String extent(Dim3 d) { return "(" + d.x() + ", " + d.y() + ", " + d.z() + ")"; }

    @Override public void synchronize() {
        makeCurrent();
        int status = cuStreamSynchronize(stream);
        if (status == CUresult.CUDA_SUCCESS) return;
        String last = lastLaunch;
        throw Driver.failure(status, "cuStreamSynchronize", "an earlier asynchronous operation failed"
                + (last == null ? "" : "; the last kernel launched was '" + last + "'")
                + "; errors such as an illegal address leave the context unusable, so restart the process"
                + " (run with CUDA_LAUNCH_BLOCKING=1 or compute-sanitizer to find the failing launch)");
    }

    /** cuBLAS on this device's stream, created on first use; throws {@link CudaException} if the library is not found. */
    @Override public synchronized Cublas blas() {
        makeCurrent();
        if (blas == null) blas = Cublas.create(streamHandle(), this::makeCurrent);
        return blas;
    }

    /** Events on this device's stream, for timing kernels. */
    public GpuTimer newTimer() {
        makeCurrent();
        return new GpuTimer(this);
    }

    @Override public synchronized void close() {
        if (closed) return;
        makeCurrent();
        try {
            cuStreamSynchronize(stream);
            if (blas != null) blas.close();
            allocator.releaseAll();
            kernels.unload();
            sharedOptIn.clear();
            cuStreamDestroy(stream);
        } finally {
            closed = true;
            if (CURRENT.get() == this) CURRENT.remove();
            cuDevicePrimaryCtxRelease(device);
        }
    }

    /** The allocator's view of the driver. */
    private final class DriverMemory implements CachingAllocator.Backing {
        @Override public long allocate(long bytes) {
            DevicePointer p = new DevicePointer();
            int status = cuMemAlloc(p, bytes);
            if (status == CUresult.CUDA_ERROR_OUT_OF_MEMORY) return 0;
            Driver.check(status, "cuMemAlloc(" + bytes + " bytes)");
            return p.address();
        }

        @Override public void release(long address) {
            Driver.check(cuMemFree(DevicePointer.of(address)), "cuMemFree");
        }

        @Override public void awaitIdle() {
            // cuMemFree of a block a queued kernel still reads would be a use-after-free on the device.
            Driver.check(cuStreamSynchronize(stream), "cuStreamSynchronize");
        }

        @Override public RuntimeException outOfMemory(long bytes, CachingAllocator.Stats stats) {
            long[] free = new long[1], total = new long[1];
            String room = cuMemGetInfo(free, total) == CUresult.CUDA_SUCCESS
                    ? Sizes.human(free[0]) + " of " + Sizes.human(total[0]) + " is free on " + name
                    : "free memory unknown";
            return Driver.failure(CUresult.CUDA_ERROR_OUT_OF_MEMORY, "cuMemAlloc", "asked for " + Sizes.human(bytes)
                    + "; " + room + " (this process holds " + Sizes.human(stats.bytesInUse()) + " in tensors; its cache was emptied first)"
                    + "; lower --batch-size");
        }
    }
}
