package dev.ser.engine.io;

import dev.ser.engine.nn.CrossEntropy;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.optim.Adam;
import dev.ser.engine.optim.StepLR;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    private static final SequenceClassifier.Config CONFIG =
            new SequenceClassifier.Config(3, 6, 2, true, 0.0, Pooling.Kind.ATTENTION, List.of(5), 4);

    private static Tensor trainStep(SequenceClassifier m, Adam opt, StepLR schedule, Tensor x, int[] lengths, int[] y) {
        opt.zeroGrad();
        Tensor loss = new CrossEntropy().apply(m.forward(x, lengths), y);
        loss.backward();
        opt.step();
        schedule.step();
        return loss;
    }

    /** Saving after step 2 and resuming gives bit-identical parameters after step 4 to running straight through. */
    @Test void resumeContinuesExactlyAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.randn(DType.F32, rng, 1, 4, 7, 3);
        int[] lengths = {7, 3, 5, 1}, y = {0, 3, 2, 1};

        SequenceClassifier straight = new SequenceClassifier(CONFIG, DType.F32, 11);
        Adam o1 = new Adam(straight.namedParameters(), 0.01);
        StepLR s1 = new StepLR(o1, 1, 0.7);
        for (int i = 0; i < 4; i++) trainStep(straight, o1, s1, x, lengths, y);

        SequenceClassifier first = new SequenceClassifier(CONFIG, DType.F32, 11);
        Adam o2 = new Adam(first.namedParameters(), 0.01);
        StepLR s2 = new StepLR(o2, 1, 0.7);
        for (int i = 0; i < 2; i++) trainStep(first, o2, s2, x, lengths, y);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, first, o2, s2, Map.of("epoch", "2"));

        SequenceClassifier resumed = new SequenceClassifier(CONFIG, DType.F32, 99); // other init: must be overwritten
        Adam o3 = new Adam(resumed.namedParameters(), 0.5);
        StepLR s3 = new StepLR(o3, 1, 0.7);
        SafeTensors st = SafeTensors.read(file);
        Checkpoint.loadWeights(st, resumed);
        Checkpoint.loadTraining(st, o3, s3);
        assertEquals("2", st.metadata().get("epoch"));
        for (int i = 0; i < 2; i++) trainStep(resumed, o3, s3, x, lengths, y);

        for (Map.Entry<String, Tensor> p : straight.namedParameters().entrySet())
            assertArrayEquals(p.getValue().toFloatArray(), resumed.namedParameters().get(p.getKey()).toFloatArray(), p.getKey());
    }

    @Test void aCheckpointOfAnotherShapeIsRejectedWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(file, new SequenceClassifier(CONFIG, DType.F32, 1), null, null, null);
        SequenceClassifier other = new SequenceClassifier(
                new SequenceClassifier.Config(3, 8, 1, false, 0, Pooling.Kind.MEAN, List.of(), 4), DType.F32, 1);
        float[] before = other.namedParameters().get("lstm.weight_ih_l0").toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadWeights(SafeTensors.read(file), other));
        assertTrue(e.getMessage().contains("lstm.weight_ih_l0 has shape"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected"), e.getMessage());
        assertArrayEquals(before, other.namedParameters().get("lstm.weight_ih_l0").toFloatArray());
    }

    @Test void savingReplacesTheFileAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.safetensors");
        SequenceClassifier m = new SequenceClassifier(CONFIG, DType.F64, 1);
        Checkpoint.save(file, m, null, null, null);
        Checkpoint.save(file, m, null, null, null);
        try (var s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList(), "no temporary files left behind");
        }
        assertEquals(m.namedParameters().keySet(), SafeTensors.read(file).names());
    }
}
