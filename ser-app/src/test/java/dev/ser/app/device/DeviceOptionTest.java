package dev.ser.app.device;

import dev.ser.app.cli.UsageException;
import dev.ser.cuda.device.Devices;
import dev.ser.engine.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DeviceOptionTest {
    @Test void cpuIsTheCpuBackend() {
        assertSame(CpuBackend.INSTANCE, DeviceOption.open("cpu"));
    }

    @Test void anUnknownDeviceIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> DeviceOption.open("tpu"));
        assertTrue(e.getMessage().contains("cpu, cuda, auto or emulated"), e.getMessage());
    }

    @Test void cudaWithoutAGpuSaysWhyAndWhatToDo() {
        StringBuilder why = new StringBuilder();
        assumeTrue(Devices.cudaOrNull(why) == null, "this machine has a GPU");
        UsageException e = assertThrows(UsageException.class, () -> DeviceOption.open("cuda"));
        assertTrue(e.getMessage().startsWith("--device cuda: ") && e.getMessage().contains("--device cpu"), e.getMessage());
        assertEquals("cpu", DeviceOption.open("auto").name(), "auto falls back to the CPU");
    }
}
