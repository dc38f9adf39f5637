package dev.ser.cuda.device;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;

/**
 * The project's kernels: the fatbin that the kernels build compiles with nvcc (SASS for the GPUs we target
 * plus PTX for newer ones), loaded on the first launch rather than at open, so that a device without the
 * fatbin (nvcc missing at build time) still serves memory, copies and cuBLAS.
 */
final class KernelModule {
    static final String RESOURCE = "dev/ser/cuda/kernels.fatbin";

    private CUmodule module;
    private final Map<String, CUfunction> functions = new HashMap<>();

    /** The kernel {@code name}; the caller has made the device's context current. */
    synchronized CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f != null) return f;
        if (module == null) module = load();
        f = new CUfunction();
        int status = cuModuleGetFunction(f, module, name);
        Driver.check(status, "cuModuleGetFunction(" + name + ")", status == CUresult.CUDA_ERROR_NOT_FOUND
                ? "kernels.fatbin has no kernel named '" + name + "': is it declared extern \"C\" __global__ (so that its name is not mangled) and compiled into the fatbin?"
                : null);
        functions.put(name, f);
        return f;
    }

    private static CUmodule load() {
        byte[] fatbin = readResource();
        CUmodule m = new CUmodule();
        int status = cuModuleLoadData(m, fatbin);
        Driver.check(status, "cuModuleLoadData(" + RESOURCE + ")", switch (status) {
            case CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU -> "the fatbin holds no code for this GPU's architecture and no PTX it can compile: add the architecture to the kernels build (nvcc -gencode)";
            case CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION -> "the fatbin's PTX is newer than this driver can compile: update the NVIDIA driver or build with SASS for this GPU";
            default -> null;
        });
        return m;
    }

    private static byte[] readResource() {
        try (InputStream in = KernelModule.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new CudaException("kernels.fatbin is not in the build (nvcc was missing when it was built): rebuild the kernels module where nvcc is installed");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RESOURCE, e);
        }
    }

    /** Unloads the module (the device is closing); later launches would load it again. */
    synchronized void unload() {
        if (module != null) cuModuleUnload(module);
        module = null;
        functions.clear();
    }
}
