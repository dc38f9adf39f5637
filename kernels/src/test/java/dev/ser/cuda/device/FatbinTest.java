package dev.ser.cuda.device;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The nvcc fatbin, when the build had nvcc: a fatbin (its magic number), holding every kernel the emulator
 * registers, as PTX entries and as SASS for each target architecture. The fatbin is built uncompressed
 * (--no-compress), so the names and architectures can be read without cuobjdump.
 */
class FatbinTest {
    private static final String RESOURCE = "dev/ser/cuda/kernels.fatbin";

    @Test
    void fatbinHoldsEveryKernelForEveryArchitecture() throws IOException {
        byte[] fatbin;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                String why = "no " + RESOURCE + " on the classpath";
                try (InputStream skipped = getClass().getClassLoader().getResourceAsStream(RESOURCE + ".skipped")) {
                    if (skipped != null) why += ": the build skipped nvcc (" + new String(skipped.readAllBytes(), StandardCharsets.UTF_8).trim() + ")";
                }
                Assumptions.abort(why);
                return;
            }
            fatbin = in.readAllBytes();
        }
        // fatBinaryCtl.h: FATBIN_MAGIC 0xBA55ED50, little-endian at offset 0.
        assertEquals(0xBA55ED50, ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN).getInt(0), "fatbin magic number");
        String text = new String(fatbin, StandardCharsets.ISO_8859_1);
        List<String> missing = new ArrayList<>();
        List<String> kernels = ((EmulatedDevice) dev.ser.cuda.kernels.TestDevices.emulatedOrSkip()).kernelNames();
        assertTrue(kernels.size() > 40, "the emulator registers " + kernels.size() + " kernels");
        for (String k : kernels) {
            if (!text.contains(".entry " + k + "(")) missing.add(k + " (PTX)");
            if (!text.contains(".text." + k + "\0")) missing.add(k + " (SASS)");
        }
        assertTrue(missing.isEmpty(), "kernels missing from the fatbin: " + missing);
        for (String arch : new String[]{"sm_80", "sm_86", "sm_89", "sm_90"})
            assertTrue(text.contains(".target " + arch) || text.contains(arch), "no " + arch + " in the fatbin");
        assertNotNull(text);
    }
}
