package dev.ser.app.train;

import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    private static final SequenceClassifier.Config CONFIG =
            new SequenceClassifier.Config(4, 8, 1, true, 0.1, Pooling.Kind.MEAN, List.of(8), 3);

    /** Three classes whose frames differ in mean on a different feature each, with noise and ragged lengths. */
    static List<Example> dataset(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3, frames = 5 + rng.nextInt(8), width = 4, max = 12;
            float[] x = new float[max * width];
            for (int t = 0; t < frames; t++)
                for (int f = 0; f < width; f++) x[t * width + f] = (float) (rng.nextGaussian() + (f == label ? 1.5 : 0));
            out.add(new Example("ex" + i, x, frames, width, label));
        }
        return out;
    }

    private static TrainOptions options(int epochs) {
        return new TrainOptions(epochs, 8, "adamw", 0.01, 1e-2, "cosine", 10, 0.5, 1, 1e-4, 1.0, 0, "uar", true, 0.05, 7);
    }

    private static Trainer trainer(SequenceClassifier m, TrainOptions o, Path dir) {
        return new Trainer(m, o, dir, new ProgressBar(new PrintStream(new ByteArrayOutputStream()), false));
    }

    @Test void learnsASeparableProblemAndWritesItsRunFiles(@TempDir Path dir) throws Exception {
        SequenceClassifier m = new SequenceClassifier(CONFIG, DType.F32, 1);
        Trainer.Result r = trainer(m, options(12), dir).fit(dataset(60, 1), dataset(30, 2), false);
        EpochMetrics best = r.history().get(r.bestEpoch() - 1);
        assertTrue(best.valUar() > 0.85, "validation UAR " + best.valUar());
        assertTrue(r.history().getLast().trainLoss() < r.history().getFirst().trainLoss());
        for (String f : List.of("checkpoint.safetensors", "best.safetensors", "metrics.csv", "metrics.json"))
            assertTrue(Files.exists(dir.resolve(f)), f);
        assertEquals(13, Files.readAllLines(dir.resolve("metrics.csv")).size());
    }

    @Test void learnsWithMixupAndResumesIt(@TempDir Path dir) throws Exception {
        List<Example> train = dataset(60, 1), val = dataset(30, 2);
        SequenceClassifier straight = new SequenceClassifier(CONFIG, DType.F32, 1);
        Trainer.Result a = trainer(straight, options(12), dir.resolve("a")).mixup(new Mixup(0.4)).fit(train, val, false);
        EpochMetrics best = a.history().get(a.bestEpoch() - 1);
        assertTrue(best.valUar() > 0.85, "validation UAR with mixup " + best.valUar());
        // Mixup's draws are seeded per epoch like the rest: a crash after epoch 5 and a resume give the same run.
        trainer(new SequenceClassifier(CONFIG, DType.F32, 1), options(12), dir.resolve("b")).mixup(new Mixup(0.4)).fit(train, val, false, 5);
        Trainer.Result b = trainer(new SequenceClassifier(CONFIG, DType.F32, 9), options(12), dir.resolve("b")).mixup(new Mixup(0.4))
                .fit(train, val, true);
        for (int i = 0; i < a.history().size(); i++)
            assertEquals(a.history().get(i).trainLoss(), b.history().get(i).trainLoss(), 0, "epoch " + (i + 1));
        // and it changes training: the same run without it has other losses
        Trainer.Result plain = trainer(new SequenceClassifier(CONFIG, DType.F32, 1), options(12), dir.resolve("c")).fit(train, val, false);
        assertTrue(plain.history().getFirst().trainLoss() != a.history().getFirst().trainLoss());
    }

    @Test void resumingAfterACrashGivesTheSameRunAsNoCrash(@TempDir Path dir) throws Exception {
        List<Example> train = dataset(40, 3), val = dataset(15, 4);
        SequenceClassifier straight = new SequenceClassifier(CONFIG, DType.F32, 5);
        Trainer.Result a = trainer(straight, options(4), dir.resolve("a")).fit(train, val, false);

        // a crash after epoch 2, then a fresh process (other initial weights, overwritten by the checkpoint) resumes
        trainer(new SequenceClassifier(CONFIG, DType.F32, 5), options(4), dir.resolve("b")).fit(train, val, false, 2);
        SequenceClassifier resumed = new SequenceClassifier(CONFIG, DType.F32, 99);
        Trainer.Result b = trainer(resumed, options(4), dir.resolve("b")).fit(train, val, true);

        assertEquals(a.history().size(), b.history().size());
        for (int i = 0; i < a.history().size(); i++) {
            assertEquals(a.history().get(i).trainLoss(), b.history().get(i).trainLoss(), 0, "epoch " + (i + 1));
            assertEquals(a.history().get(i).valLoss(), b.history().get(i).valLoss(), 0, "epoch " + (i + 1));
        }
        for (Map.Entry<String, dev.ser.engine.tensor.Tensor> p : straight.namedParameters().entrySet())
            assertArrayEquals(p.getValue().toFloatArray(), resumed.namedParameters().get(p.getKey()).toFloatArray(), p.getKey());
    }

    @Test void aRefitTrainsItsEpochsOfTheLongerScheduleWithoutValidationAndKeepsTheLast(@TempDir Path dir) throws Exception {
        List<Example> train = dataset(40, 3);
        TrainOptions o = new TrainOptions(10, 8, "adamw", 0.01, 1e-2, "cosine", 10, 0.5, 1, 1e-4, 1.0, 1, "uar", true, 0.05, 7);
        SequenceClassifier refit = new SequenceClassifier(CONFIG, DType.F32, 5);
        Trainer.Result r = trainer(refit, o, dir.resolve("refit")).refit(4).fit(train, List.of(), false);
        assertEquals(4, r.history().size(), "patience 1 stops nothing: there is no validation to stop on");
        assertEquals(4, r.bestEpoch());
        assertTrue(Double.isNaN(r.history().getLast().valUar()));
        // its epochs are the first four of the 10-epoch run on the same clips (same schedule, order, dropout), without the stop
        SequenceClassifier full = new SequenceClassifier(CONFIG, DType.F32, 5);
        Trainer.Result f = trainer(full, new TrainOptions(10, 8, "adamw", 0.01, 1e-2, "cosine", 10, 0.5, 1, 1e-4, 1.0, 0, "uar", true, 0.05, 7),
                dir.resolve("full")).fit(train, dataset(15, 4), false, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(f.history().get(i).trainLoss(), r.history().get(i).trainLoss(), 0, "epoch " + (i + 1));
            assertEquals(f.history().get(i).lr(), r.history().get(i).lr(), 0, "epoch " + (i + 1));
        }
        assertTrue(r.history().getLast().lr() > 1e-3, "the schedule is the 10-epoch one, not annealed by epoch 4: " + r.history().getLast().lr());
        // the model it returns is epoch 4's (the last checkpoint's), whatever epoch validation would have chosen
        SequenceClassifier last = new SequenceClassifier(CONFIG, DType.F32, 77);
        dev.ser.engine.io.Checkpoint.loadWeights(dev.ser.engine.io.SafeTensors.read(dir.resolve("refit/checkpoint.safetensors")), last);
        for (Map.Entry<String, dev.ser.engine.tensor.Tensor> p : refit.namedParameters().entrySet())
            assertArrayEquals(last.namedParameters().get(p.getKey()).toFloatArray(), p.getValue().toFloatArray(), p.getKey());
        // a crash after epoch 2 resumes to the same refit
        trainer(new SequenceClassifier(CONFIG, DType.F32, 5), o, dir.resolve("b")).refit(4).fit(train, List.of(), false, 2);
        Trainer.Result b = trainer(new SequenceClassifier(CONFIG, DType.F32, 9), o, dir.resolve("b")).refit(4).fit(train, List.of(), true);
        for (int i = 0; i < 4; i++) assertEquals(r.history().get(i).trainLoss(), b.history().get(i).trainLoss(), 0, "epoch " + (i + 1));

        SequenceClassifier m = new SequenceClassifier(CONFIG, DType.F32, 1);
        var tooMany = assertThrows(IllegalArgumentException.class, () -> trainer(m, o, dir).refit(11));
        assertTrue(tooMany.getMessage().contains("--epochs (10)"), tooMany.getMessage());
        TrainOptions plateau = new TrainOptions(10, 8, "adamw", 0.01, 1e-2, "plateau", 10, 0.5, 1, 1e-4, 1.0, 0, "uar", true, 0.05, 7);
        assertThrows(IllegalArgumentException.class, () -> trainer(m, plateau, dir).refit(3));
        assertThrows(IllegalArgumentException.class, () -> trainer(m, o, dir.resolve("c")).refit(3).fit(train, dataset(6, 1), false));
    }

    @Test void weightAveragingKeepsTheMeanOfTheEpochsWeightsAndTrainsOnUnchanged(@TempDir Path dir) throws Exception {
        List<Example> train = dataset(40, 3), val = dataset(15, 4);
        TrainOptions o = options(5);
        // the plain run's weights after epochs 3, 4 and 5: each epoch's checkpoint of a run stopped there
        List<SequenceClassifier> ends = new ArrayList<>();
        for (int last = 3; last <= 5; last++) {
            Path run = dir.resolve("plain-" + last);
            trainer(new SequenceClassifier(CONFIG, DType.F32, 5), o, run).fit(train, val, false, last);
            SequenceClassifier end = new SequenceClassifier(CONFIG, DType.F32, 77);
            dev.ser.engine.io.Checkpoint.loadWeights(dev.ser.engine.io.SafeTensors.read(run.resolve("checkpoint.safetensors")), end);
            ends.add(end);
        }
        Trainer.Result plain = trainer(new SequenceClassifier(CONFIG, DType.F32, 5), o, dir.resolve("plain")).fit(train, val, false);
        // a refit of 5 epochs averaging from epoch 3 returns their mean; training itself is the plain run's
        SequenceClassifier averaged = new SequenceClassifier(CONFIG, DType.F32, 5);
        Trainer.Result r = trainer(averaged, o, dir.resolve("swa")).refit(5).averageFrom(3).fit(train, List.of(), false);
        for (int i = 0; i < 5; i++) assertEquals(plain.history().get(i).trainLoss(), r.history().get(i).trainLoss(), 0, "epoch " + (i + 1));
        for (Map.Entry<String, dev.ser.engine.tensor.Tensor> p : averaged.namedParameters().entrySet()) {
            float[] got = p.getValue().toFloatArray(), mean = new float[got.length];
            for (int i = 0; i < got.length; i++) {
                double sum = 0;
                for (SequenceClassifier end : ends) sum += end.namedParameters().get(p.getKey()).toFloatArray()[i];
                mean[i] = (float) (sum / ends.size());
            }
            assertArrayEquals(mean, got, 1e-6f, p.getKey());
            assertTrue(!java.util.Arrays.equals(got, ends.getLast().namedParameters().get(p.getKey()).toFloatArray()), p.getKey() + " is the last epoch's");
        }
        // with validation, epochs 3 on are scored on the average (other losses than the plain run's), and a crash after
        // epoch 4 resumes to the same run: the average travels in the checkpoint
        Trainer.Result v = trainer(new SequenceClassifier(CONFIG, DType.F32, 5), o, dir.resolve("val")).averageFrom(3).fit(train, val, false);
        assertEquals(plain.history().get(1).valLoss(), v.history().get(1).valLoss(), 0, "epoch 2 is before the average");
        assertTrue(plain.history().get(3).valLoss() != v.history().get(3).valLoss(), "epoch 4 validates the average");
        trainer(new SequenceClassifier(CONFIG, DType.F32, 5), o, dir.resolve("crash")).averageFrom(3).fit(train, val, false, 4);
        Trainer.Result resumed = trainer(new SequenceClassifier(CONFIG, DType.F32, 9), o, dir.resolve("crash")).averageFrom(3).fit(train, val, true);
        for (int i = 0; i < 5; i++) assertEquals(v.history().get(i).valLoss(), resumed.history().get(i).valLoss(), 0, "epoch " + (i + 1));

        SequenceClassifier m = new SequenceClassifier(CONFIG, DType.F32, 1);
        var late = assertThrows(IllegalArgumentException.class, () -> trainer(m, o, dir).averageFrom(6));
        assertTrue(late.getMessage().contains("--swa-start must be between 1 and the last epoch (5, --epochs)"), late.getMessage());
        var afterRefit = assertThrows(IllegalArgumentException.class,
                () -> trainer(m, o, dir.resolve("r")).refit(2).averageFrom(3).fit(train, List.of(), false));
        assertTrue(afterRefit.getMessage().contains("(2, the refit's)"), afterRefit.getMessage());
    }

    @Test void clearErrors(@TempDir Path dir) {
        SequenceClassifier m = new SequenceClassifier(CONFIG, DType.F32, 1);
        assertThrows(IllegalArgumentException.class, () -> trainer(m, options(1), dir).fit(dataset(6, 1), List.of(), false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(m, options(1), dir.resolve("none")).fit(dataset(6, 1), dataset(3, 1), true));
        assertTrue(e.getMessage().contains("no checkpoint"), e.getMessage());
    }
}
