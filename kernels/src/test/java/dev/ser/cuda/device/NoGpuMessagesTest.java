package dev.ser.cuda.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** What a user sees when the GPU path cannot work, and the small formatting pieces behind the messages. */
class NoGpuMessagesTest {
    private static boolean driverInstalled() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup("libcuda.so.1", arena);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test void withoutTheDriverDevicesCudaSaysSoInOneLineEveryTime() {
        Assumptions.assumeFalse(driverInstalled(), "libcuda.so.1 is installed here: this test is about machines without it");
        for (int attempt = 0; attempt < 2; attempt++) {    // the second attempt must not be a bare NoClassDefFoundError
            CudaException e = assertThrows(CudaException.class, Devices::cuda);
            String m = e.getMessage();
            assertTrue(m.startsWith("no NVIDIA driver found (libcuda.so.1): libcuda.so.1: cannot open shared object file"), m);
            assertTrue(m.endsWith("; use --device cpu"), m);
            assertFalse(m.contains("\n"), m);
        }
        StringBuilder why = new StringBuilder();
        assertEquals(null, Devices.cudaOrNull(why));
        assertTrue(why.toString().startsWith("no NVIDIA driver found"), why.toString());
    }

    @Test void theLoadFailureIsBoiledDownToTheLoadersComplaint() {
        UnsatisfiedLinkError jcudas = new UnsatisfiedLinkError("""
                Error while loading native library "JCudaDriver-12.6.0-linux-x86_64"
                Operating system name: Linux
                ---(start of nested stack traces)---
                java.lang.UnsatisfiedLinkError: no JCudaDriver-12.6.0-linux-x86_64 in java.library.path: /usr/lib
                \tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2285)
                java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file: No such file or directory
                \tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)""");
        assertEquals("no NVIDIA driver found (libcuda.so.1): libcuda.so.1: cannot open shared object file: No such file or directory; use --device cpu",
                Driver.noDriverMessage(jcudas));
        assertEquals("the CUDA driver binding (JCuda) could not be loaded: something else; use --device cpu",
                Driver.noDriverMessage(new UnsatisfiedLinkError("something else\nmore")));
    }

    @Test void aFailedCallNamesTheCallTheStatusAndWhatToDo() {
        CudaException e = new CudaException("cuMemAlloc", 2, "CUDA_ERROR_OUT_OF_MEMORY", "asked for 1.0 GiB; lower --batch-size");
        assertEquals("cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (2). asked for 1.0 GiB; lower --batch-size", e.getMessage());
        assertEquals("cuMemAlloc", e.call());
        assertEquals(2, e.status());
        assertEquals("cuInit failed: CUDA_ERROR_UNKNOWN (999)", new CudaException("cuInit", 999, "CUDA_ERROR_UNKNOWN", null).getMessage());
        CudaException plain = new CudaException("no CUDA device found");
        assertEquals(-1, plain.status());
        assertEquals(null, plain.call());
    }

    @Test void theDeviceIndexComesFromSerCudaDevice() {
        assertEquals(0, CudaDevice.deviceIndex(null));
        assertEquals(0, CudaDevice.deviceIndex(" "));
        assertEquals(2, CudaDevice.deviceIndex(" 2 "));
        CudaException bad = assertThrows(CudaException.class, () -> CudaDevice.deviceIndex("gpu1"));
        assertTrue(bad.getMessage().startsWith("SER_CUDA_DEVICE='gpu1' is not a device index"), bad.getMessage());
        assertThrows(CudaException.class, () -> CudaDevice.deviceIndex("-1"));
    }

    @Test void driverVersionsReadAsMajorDotMinor() {
        assertEquals("13.0", CudaDevice.driverVersion(13000));
        assertEquals("12.8", CudaDevice.driverVersion(12080));
    }

    @Test void sizesKeepTheExactByteCount() {
        assertEquals("512 bytes", Sizes.human(512));
        assertEquals("1.5 GiB (1610612736 bytes)", Sizes.human(3L << 29));
        assertEquals("1.0 PiB (1125899906842624 bytes)", Sizes.human(1L << 50));
    }
}
