package dev.ser.app.adapt;

import dev.ser.app.adapt.SpeakerAdaptation.Objective;
import dev.ser.app.adapt.SpeakerAdaptation.Settings;
import dev.ser.app.train.Example;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SpeakerAdaptationTest {
    private static final int WIDTH = 3, CLASSES = 4, MAX_FRAMES = 6;

    private static SequenceClassifier model(DType dtype) {
        var config = new SequenceClassifier.Config(WIDTH, 5, 2, true, 0.3, Pooling.Kind.ATTENTION, List.of(4), CLASSES);
        return new SequenceClassifier(config, dtype, 7);
    }

    /** Clips of 2 to 6 frames, zero-padded to 6, as Datasets.examples gives them. */
    private static List<Example> clips(int n) {
        SplittableRandom rng = new SplittableRandom(11);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int frames = 2 + i % (MAX_FRAMES - 1);
            float[] x = new float[MAX_FRAMES * WIDTH];
            for (int j = 0; j < frames * WIDTH; j++) x[j] = (float) (rng.nextGaussian() * 1.5 + 0.3 * (j % WIDTH));
            out.add(new Example("clip" + i, x, frames, WIDTH, -1));
        }
        return out;
    }

    private static Tensor leaf(double[] values) {
        return Tensor.of(DType.F64, values.clone(), values.length).requiresGrad(true);
    }

    /**
     * The gradient one step follows, accumulated over batches of 2 (with the mean prediction's term split as the
     * class says), against central differences of the objective computed whole, for both objectives, at a point
     * away from the identity.
     */
    @Test void gradientMatchesFiniteDifferencesOfTheWholeObjective() {
        SequenceClassifier model = model(DType.F64);
        model.train(false);
        List<Example> clips = clips(7);
        double[] a = {1.1, 0.8, 1.3}, b = {0.2, -0.1, 0.05};
        for (Objective objective : Objective.values()) {
            Settings settings = new Settings(objective, 1, 0.01, 2);
            Tensor scale = leaf(a), shift = leaf(b);
            SpeakerAdaptation.gradient(model, clips, scale, shift, settings);
            double[] gScale = scale.grad().toDoubleArray(), gShift = shift.grad().toDoubleArray();
            for (Map.Entry<double[], double[]> which : Map.of(a, gScale, b, gShift).entrySet()) {
                for (int f = 0; f < WIDTH; f++) {
                    double h = 1e-5;
                    double[] plus = which.getKey().clone(), minus = which.getKey().clone();
                    plus[f] += h;
                    minus[f] -= h;
                    boolean isScale = which.getKey() == a;
                    double up = SpeakerAdaptation.objective(model, clips, isScale ? leaf(plus) : leaf(a), isScale ? leaf(b) : leaf(plus), settings);
                    double down = SpeakerAdaptation.objective(model, clips, isScale ? leaf(minus) : leaf(a), isScale ? leaf(b) : leaf(minus), settings);
                    double numeric = (up - down) / (2 * h);
                    assertEquals(numeric, which.getValue()[f], 1e-7 + 1e-5 * Math.abs(numeric),
                            objective + (isScale ? " scale " : " shift ") + f);
                }
            }
            for (Tensor p : model.namedParameters().values()) assertNull(p.grad(), "the model's own weights keep no gradient");
        }
    }

    @Test void informationMaximizationSubtractsTheMeanPredictionsEntropy() {
        SequenceClassifier model = model(DType.F64);
        model.train(false);
        List<Example> clips = clips(5);
        double[] one = {1, 1, 1}, zero = {0, 0, 0};
        double entropy = SpeakerAdaptation.objective(model, clips, leaf(one), leaf(zero), Settings.of(Objective.ENTROPY));
        double im = SpeakerAdaptation.objective(model, clips, leaf(one), leaf(zero), Settings.of(Objective.INFORMATION_MAXIMIZATION));
        assertTrue(entropy > 0 && entropy < Math.log(CLASSES), "mean entropy " + entropy);
        // the mean prediction of an untrained model is close to uniform: its entropy close to log C
        assertTrue(im < entropy - 0.9 * Math.log(CLASSES) && im > entropy - Math.log(CLASSES), "im " + im + " entropy " + entropy);
    }

    @Test void noStepsLeavesTheClipsAsTheyAre() {
        SequenceClassifier model = model(DType.F32);
        List<Example> clips = clips(4);
        SpeakerAdaptation.Result r = SpeakerAdaptation.adapt(model, clips, new Settings(Objective.ENTROPY, 0, 0.01, 32));
        assertArrayEquals(new float[] {1, 1, 1}, r.scale());
        assertArrayEquals(new float[] {0, 0, 0}, r.shift());
        for (int i = 0; i < clips.size(); i++) assertArrayEquals(clips.get(i).features(), r.adapted().get(i).features());
        assertEquals(1, r.objective().length);
    }

    @Test void everyStepLowersTheObjectiveAndLeavesTheWeightsAndPaddingAlone() {
        for (Objective objective : Objective.values()) {
            SequenceClassifier model = model(DType.F32);
            List<float[]> before = model.namedParameters().values().stream().map(Tensor::toFloatArray).toList();
            List<Example> clips = clips(9);
            SpeakerAdaptation.Result r = SpeakerAdaptation.adapt(model, clips, new Settings(objective, 10, 0.05, 4));
            double[] o = r.objective();
            assertEquals(11, o.length);
            // an untrained model's landscape is flat (entropy near log 4), so the steps are small, but each one descends
            for (int k = 1; k < o.length; k++) assertTrue(o[k] < o[k - 1], objective + ": " + java.util.Arrays.toString(o));
            List<float[]> after = model.namedParameters().values().stream().map(Tensor::toFloatArray).toList();
            for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), after.get(i), "weights unchanged");
            assertFalse(model.isTraining());
            for (int i = 0; i < clips.size(); i++) {
                Example in = clips.get(i), out = r.adapted().get(i);
                assertEquals(in.id(), out.id());
                assertEquals(in.frames(), out.frames());
                for (int t = 0; t < MAX_FRAMES; t++)
                    for (int f = 0; f < WIDTH; f++) {
                        float x = in.features()[t * WIDTH + f];
                        float expected = t < in.frames() ? r.scale()[f] * x + r.shift()[f] : 0f;
                        assertEquals(expected, out.features()[t * WIDTH + f], 0f);
                    }
            }
        }
    }

    /** On the CUDA backend (its emulated device here; the GPU where there is one): what the CPU fits, to float32 rounding. */
    @Test void onTheDeviceItFitsWhatTheCpuFits() {
        dev.ser.cuda.backend.CudaBackend device;
        try {
            device = dev.ser.cuda.backend.CudaBackend.open("emulated");
        } catch (dev.ser.cuda.device.CudaException e) {
            org.junit.jupiter.api.Assumptions.abort("no emulated CUDA device: " + e.getMessage());
            return;
        }
        List<Example> clips = clips(9);
        Settings settings = new Settings(Objective.INFORMATION_MAXIMIZATION, 4, 0.05, 4);
        SpeakerAdaptation.Result cpu = SpeakerAdaptation.adapt(model(DType.F32), clips, settings);
        SequenceClassifier onDevice = model(DType.F32);
        onDevice.moveTo(device);
        SpeakerAdaptation.Result gpu = SpeakerAdaptation.adapt(onDevice, clips, settings);
        assertArrayEquals(cpu.scale(), gpu.scale(), 1e-4f);
        assertArrayEquals(cpu.shift(), gpu.shift(), 1e-4f);
        assertArrayEquals(cpu.objective(), gpu.objective(), 1e-5);
        assertTrue(cpu.objective()[4] < cpu.objective()[0]);
    }

    @Test void settingsAndOptionsRefuseNonsense() {
        assertEquals(Objective.INFORMATION_MAXIMIZATION, Objective.ofOption("im"));
        assertEquals(Objective.ENTROPY, Objective.ofOption("entropy"));
        assertThrows(IllegalArgumentException.class, () -> Objective.ofOption("tent"));
        assertThrows(IllegalArgumentException.class, () -> new Settings(Objective.ENTROPY, -1, 0.01, 32));
        assertThrows(IllegalArgumentException.class, () -> new Settings(Objective.ENTROPY, 10, 0, 32));
        assertThrows(IllegalArgumentException.class, () -> new Settings(Objective.ENTROPY, 10, 0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> SpeakerAdaptation.adapt(model(DType.F32), List.of(), Settings.of(Objective.ENTROPY)));
    }
}
