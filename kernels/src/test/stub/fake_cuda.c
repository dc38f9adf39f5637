// A pretend NVIDIA driver for checking the Java side of CudaDevice on a machine without a GPU: "device memory"
// is host memory, copies are memcpy, and the one kernel, stub_fill(float *out, int n, float value), runs on
// the CPU. It exercises exactly what cannot be checked by reading code: how JCuda's JNI layer marshals our raw
// device addresses, host addresses, stream handle and kernelParams array. See check-on-stub-driver.sh.
// With SER_STUB_EMULATOR naming the emulator library (libserkernels_emu.so), every other kernel name is
// launched through its emu_launch: the project's real kernels behind the real JCuda path, so the whole CUDA
// backend runs on CudaDevice here.
#include <cuda.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#define STREAM_MAGIC 0x5E125E12
struct fake_stream { int magic; };
static struct fake_stream the_stream = { STREAM_MAGIC };
static int the_context, the_module, the_function;

CUresult cuInit(unsigned int flags) { return CUDA_SUCCESS; }
CUresult cuDriverGetVersion(int *v) { *v = 13000; return CUDA_SUCCESS; }
CUresult cuDeviceGetCount(int *n) { *n = 1; return CUDA_SUCCESS; }
CUresult cuDeviceGet(CUdevice *d, int ordinal) { if (ordinal != 0) return CUDA_ERROR_INVALID_DEVICE; *d = 0; return CUDA_SUCCESS; }
CUresult cuDeviceGetName(char *name, int len, CUdevice d) { snprintf(name, len, "Stub GPU"); return CUDA_SUCCESS; }
CUresult cuDeviceTotalMem(size_t *bytes, CUdevice d) { *bytes = 16ULL << 30; return CUDA_SUCCESS; }
CUresult cuDeviceGetAttribute(int *v, CUdevice_attribute a, CUdevice d) {
    *v = a == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR ? 9 : 0; return CUDA_SUCCESS;
}
CUresult cuDevicePrimaryCtxRetain(CUcontext *c, CUdevice d) { *c = (CUcontext)&the_context; return CUDA_SUCCESS; }
CUresult cuDevicePrimaryCtxRelease(CUdevice d) { return CUDA_SUCCESS; }
CUresult cuCtxSetCurrent(CUcontext c) { return c == (CUcontext)&the_context ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT; }
CUresult cuGetErrorName(CUresult e, const char **s) {
    *s = e == CUDA_ERROR_OUT_OF_MEMORY ? "CUDA_ERROR_OUT_OF_MEMORY" : e == CUDA_ERROR_NOT_FOUND ? "CUDA_ERROR_NOT_FOUND" : "CUDA_ERROR_STUB";
    return CUDA_SUCCESS;
}

static CUresult check_stream(CUstream s) {
    return s == (CUstream)&the_stream && the_stream.magic == STREAM_MAGIC ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}
CUresult cuStreamCreate(CUstream *s, unsigned int flags) {
    if (flags != CU_STREAM_NON_BLOCKING) return CUDA_ERROR_INVALID_VALUE;
    *s = (CUstream)&the_stream; return CUDA_SUCCESS;
}
CUresult cuStreamSynchronize(CUstream s) { return check_stream(s); }
CUresult cuStreamDestroy(CUstream s) { return check_stream(s); }

// 256-byte aligned, as cuMemAlloc promises; requests over 1 TiB fail as out of memory.
CUresult cuMemAlloc(CUdeviceptr *p, size_t bytes) {
    if (bytes > (1ULL << 40)) return CUDA_ERROR_OUT_OF_MEMORY;
    void *m = aligned_alloc(256, (bytes + 255) / 256 * 256);
    if (!m) return CUDA_ERROR_OUT_OF_MEMORY;
    *p = (CUdeviceptr)m; return CUDA_SUCCESS;
}
CUresult cuMemFree(CUdeviceptr p) { free((void *)p); return CUDA_SUCCESS; }
CUresult cuMemGetInfo(size_t *free_, size_t *total) { *free_ = 8ULL << 30; *total = 16ULL << 30; return CUDA_SUCCESS; }
CUresult cuMemcpyHtoDAsync(CUdeviceptr d, const void *h, size_t n, CUstream s) { memcpy((void *)d, h, n); return check_stream(s); }
CUresult cuMemcpyDtoHAsync(void *h, CUdeviceptr d, size_t n, CUstream s) { memcpy(h, (void *)d, n); return check_stream(s); }
CUresult cuMemcpyDtoDAsync(CUdeviceptr d, CUdeviceptr s_, size_t n, CUstream s) { memmove((void *)d, (void *)s_, n); return check_stream(s); }
CUresult cuMemsetD8Async(CUdeviceptr d, unsigned char v, size_t n, CUstream s) { memset((void *)d, v, n); return check_stream(s); }

CUresult cuModuleLoadData(CUmodule *m, const void *image) { *m = (CUmodule)&the_module; return CUDA_SUCCESS; }
CUresult cuModuleUnload(CUmodule m) { return CUDA_SUCCESS; }
typedef int (*emu_launch_fn)(const char *, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void **);
static emu_launch_fn emulator(void) {
    static emu_launch_fn launch;
    const char *path = getenv("SER_STUB_EMULATOR");
    if (!launch && path) {
        void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
        if (lib) launch = (emu_launch_fn)dlsym(lib, "emu_launch");
        if (!launch) fprintf(stderr, "fake_cuda: cannot use SER_STUB_EMULATOR=%s: %s\n", path, dlerror());
    }
    return launch;
}
struct emulated_function { char name[128]; };

CUresult cuModuleGetFunction(CUfunction *f, CUmodule m, const char *name) {
    if (strcmp(name, "stub_fill") == 0) { *f = (CUfunction)&the_function; return CUDA_SUCCESS; }
    if (!emulator() || strlen(name) >= 128) return CUDA_ERROR_NOT_FOUND;
    struct emulated_function *e = calloc(1, sizeof *e);
    strcpy(e->name, name);
    *f = (CUfunction)e; return CUDA_SUCCESS;
}
CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, CUstream s, void **params, void **extra) {
    if (extra != NULL) return CUDA_ERROR_INVALID_VALUE;
    if (f != (CUfunction)&the_function) {
        if (!emulator()) return CUDA_ERROR_INVALID_VALUE;
        int rc = emulator()(((struct emulated_function *)f)->name, gx, gy, gz, bx, by, bz, shared, params);
        return rc == 0 ? check_stream(s) : CUDA_ERROR_LAUNCH_FAILED;
    }
    float *out = *(float **)params[0];
    int n = *(int *)params[1];
    float value = *(float *)params[2];
    for (int i = 0; i < n; i++) out[i] = value;
    return check_stream(s);
}

CUresult cuEventCreate(CUevent *e, unsigned int flags) { *e = (CUevent)malloc(8); return CUDA_SUCCESS; }
CUresult cuEventRecord(CUevent e, CUstream s) { return check_stream(s); }
CUresult cuEventSynchronize(CUevent e) { return CUDA_SUCCESS; }
CUresult cuEventElapsedTime(float *ms, CUevent a, CUevent b) { *ms = 1.0f; return CUDA_SUCCESS; }
CUresult cuEventDestroy(CUevent e) { free(e); return CUDA_SUCCESS; }

// JCuda 12.6 calls the original cuEventElapsedTime; CUDA 13's cuda.h maps the name to _v2, and the real
// driver exports both (the old one for binaries built against older headers, like JCuda's).
#undef cuEventElapsedTime
CUresult cuEventElapsedTime(float *ms, CUevent a, CUevent b) { *ms = 1.0f; return CUDA_SUCCESS; }
