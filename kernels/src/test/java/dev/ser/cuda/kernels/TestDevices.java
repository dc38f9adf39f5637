package dev.ser.cuda.kernels;

import dev.ser.cuda.device.CudaException;
import dev.ser.cuda.device.Device;
import dev.ser.cuda.device.Devices;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.Stream;

/**
 * The devices every kernel test runs on: the emulated one always, the GPU when one opens (otherwise that
 * case is reported as skipped, with the reason). Use with
 * {@code @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")}.
 */
public final class TestDevices {
    private TestDevices() {}

    /** A named way to open a device; {@link #open} skips the test when it cannot. */
    public record Kind(String name) {
        public Device open() {
            if (name.equals("cuda")) {
                StringBuilder why = new StringBuilder();
                Device d = Devices.cudaOrNull(why);
                Assumptions.assumeTrue(d != null, "no CUDA device: " + why);
                return d;
            }
            return emulatedOrSkip();
        }

        @Override public String toString() { return name; }
    }

    /** The emulated device, or the test skipped with the reason (a build without g++ has no emulator library). */
    public static Device emulatedOrSkip() {
        try {
            return Devices.emulated();
        } catch (CudaException e) {
            Assumptions.abort("no emulated device: " + e.getMessage());
            throw e;
        }
    }

    public static Stream<Arguments> devices() {
        return Stream.of(Arguments.of(new Kind("emulated")), Arguments.of(new Kind("cuda")));
    }
}
