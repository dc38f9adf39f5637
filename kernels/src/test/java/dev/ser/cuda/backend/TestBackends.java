package dev.ser.cuda.backend;

import dev.ser.cuda.device.CudaException;
import org.junit.jupiter.api.Assumptions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CUDA backends a test runs on: the emulated device (the kernels compiled for the CPU; everywhere
 * g++ built them) and the real GPU (where there is one). A test parameterized over {@link #names()}
 * calls {@link #get} and is skipped, with the reason, where that device cannot be opened.
 */
final class TestBackends {
    private TestBackends() {}

    private static final Map<String, Object> OPENED = new HashMap<>();

    /** emulated and cuda, or those named by {@code -Dser.test.devices=cuda} (the GPU check skips the slow emulation). */
    static List<String> names() { return List.of(System.getProperty("ser.test.devices", "emulated,cuda").split(",")); }

    static synchronized CudaBackend get(String name) {
        Object b = OPENED.computeIfAbsent(name, n -> {
            try {
                return CudaBackend.open(n);
            } catch (CudaException | LinkageError e) {
                return "no " + n + " device: " + e.getMessage();
            }
        });
        if (b instanceof String reason) Assumptions.abort(reason);
        return (CudaBackend) b;
    }
}
