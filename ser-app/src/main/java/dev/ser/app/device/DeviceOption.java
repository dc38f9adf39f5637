package dev.ser.app.device;

import dev.ser.app.cli.UsageException;
import dev.ser.cuda.backend.CudaBackend;
import dev.ser.cuda.device.CudaException;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.cpu.CpuBackend;

/**
 * {@code --device cpu|cuda|auto|emulated}: where training and evaluation run. auto takes the GPU when
 * one can be opened and says so either way; cuda fails with the reason when it cannot (no driver, no
 * GPU, no cuBLAS), rather than quietly training on the CPU; emulated runs the CUDA backend with its
 * kernels compiled for the CPU (slow: for checking the GPU code path on a machine without one).
 */
public final class DeviceOption {
    private DeviceOption() {}

    public static Backend open(String device) {
        return switch (device) {
            case "cpu" -> CpuBackend.INSTANCE;
            case "cuda", "emulated" -> {
                try {
                    yield CudaBackend.open(device);
                } catch (CudaException | LinkageError e) {
                    String why = e.getMessage();
                    throw new UsageException("--device " + device + ": " + why + (why.contains("--device cpu") ? "" : ". Use --device cpu (or auto)."));
                }
            }
            case "auto" -> {
                try {
                    CudaBackend gpu = CudaBackend.open("cuda");
                    System.err.println("device: " + gpu.name());
                    yield gpu;
                } catch (CudaException | LinkageError e) {
                    System.err.println("device: cpu (no GPU: " + e.getMessage() + ")");
                    yield CpuBackend.INSTANCE;
                }
            }
            default -> throw new UsageException("--device must be cpu, cuda, auto or emulated; got '" + device + "'");
        };
    }
}
