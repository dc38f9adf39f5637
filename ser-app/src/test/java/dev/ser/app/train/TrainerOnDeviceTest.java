package dev.ser.app.train;

import dev.ser.cuda.backend.CudaBackend;
import dev.ser.cuda.device.CudaException;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer on the CUDA backend (its emulated device here; the GPU where there is one): the same run as on
 * the CPU to float32 rounding, and a checkpoint written on the device resumes on the CPU.
 */
class TrainerOnDeviceTest {
    private static final SequenceClassifier.Config CONFIG =
            new SequenceClassifier.Config(4, 6, 1, true, 0.1, Pooling.Kind.ATTENTION, List.of(), 3);

    private static TrainOptions options(int epochs) {
        return new TrainOptions(epochs, 8, "adamw", 0.01, 1e-2, "cosine", 10, 0.5, 1, 1e-4, 1.0, 0, "uar", true, 0.05, 7);
    }

    private static Trainer trainer(SequenceClassifier m, int epochs, Path dir) {
        return new Trainer(m, options(epochs), dir, new ProgressBar(new PrintStream(new ByteArrayOutputStream()), false));
    }

    private static CudaBackend emulated() {
        try {
            return CudaBackend.open("emulated");
        } catch (CudaException e) {
            Assumptions.abort("no emulated CUDA device: " + e.getMessage());
            throw e;
        }
    }

    @Test void aRunOnTheDeviceMatchesTheCpuAndResumesOnIt(@TempDir Path dir) throws Exception {
        List<Example> train = TrainerTest.dataset(24, 1), val = TrainerTest.dataset(9, 2);
        Trainer.Result cpu = trainer(new SequenceClassifier(CONFIG, DType.F32, 3), 2, dir.resolve("cpu")).fit(train, val, false);

        SequenceClassifier onDevice = new SequenceClassifier(CONFIG, DType.F32, 3);
        onDevice.moveTo(emulated());
        trainer(onDevice, 2, dir.resolve("device")).fit(train, val, false, 1); // one epoch on the device, then "crash"
        assertTrue(Files.exists(dir.resolve("device/checkpoint.safetensors")));
        Trainer.Result resumed = trainer(new SequenceClassifier(CONFIG, DType.F32, 3), 2, dir.resolve("device")).fit(train, val, true);

        assertEquals(2, resumed.history().size());
        for (int e = 0; e < 2; e++) {
            double a = cpu.history().get(e).trainLoss(), b = resumed.history().get(e).trainLoss();
            assertEquals(a, b, 1e-4 * Math.abs(a), "epoch " + (e + 1) + " training loss, CPU vs device (then CPU after resuming)");
        }
    }
}
