package dev.ser.engine.optim;

import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.Dense;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.HostStorage;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The average against the arithmetic mean of the points it was given, computed here directly; its round trips. */
class WeightAverageTest {
    /** Overwrites every weight of {@code layer} with fresh Gaussian values (a new "epoch"). */
    private static void move(Dense layer, SplittableRandom rng) {
        for (Tensor p : layer.namedParameters().values()) {
            HostStorage h = p.host();
            for (int i = 0; i < p.numel(); i++) h.set(i, rng.nextGaussian() * 3 + 1);
        }
    }

    private static double[] values(Tensor t) {
        HostStorage h = t.host();
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = h.get(i);
        return v;
    }

    @Test void isTheArithmeticMeanOfItsPointsInFloat64AndFloat32() {
        for (DType dtype : List.of(DType.F64, DType.F32)) {
            Dense layer = new Dense(5, 3, dtype, new SplittableRandom(1));
            WeightAverage average = new WeightAverage(layer);
            SplittableRandom rng = new SplittableRandom(2);
            List<Map<String, double[]>> points = new ArrayList<>();
            for (int k = 0; k < 7; k++) {
                move(layer, rng);
                points.add(Map.of("weight", values(layer.weight()), "bias", values(layer.bias())));
                average.update(layer);
            }
            assertEquals(7, average.count());
            average.copyInto(layer);
            for (String name : List.of("weight", "bias")) {
                double[] expected = new double[points.getFirst().get(name).length];
                for (Map<String, double[]> p : points)
                    for (int i = 0; i < expected.length; i++) expected[i] += p.get(name)[i] / points.size();
                double tolerance = dtype == DType.F64 ? 1e-13 : 1e-6;
                assertArrayEquals(expected, values(layer.namedParameters().get(name)), tolerance, dtype + " " + name);
            }
        }
    }

    @Test void aSnapshotPutsTheWeightsBackExactly() {
        Dense layer = new Dense(4, 6, DType.F32, new SplittableRandom(3));
        float[] before = layer.weight().toFloatArray();
        WeightAverage snapshot = WeightAverage.snapshot(layer);
        move(layer, new SplittableRandom(4));
        assertTrue(before[0] != layer.weight().toFloatArray()[0]);
        snapshot.copyInto(layer);
        assertArrayEquals(before, layer.weight().toFloatArray());
    }

    @Test void travelsThroughACheckpointAndContinuesAsIfNeverSaved() throws Exception {
        Dense layer = new Dense(3, 2, DType.F32, new SplittableRandom(5));
        SplittableRandom rng = new SplittableRandom(6);
        WeightAverage straight = new WeightAverage(layer), saved = new WeightAverage(layer);
        for (int k = 0; k < 3; k++) {
            move(layer, rng);
            straight.update(layer);
            saved.update(layer);
        }
        SafeTensors.Writer w = new SafeTensors.Writer();
        saved.write(w, layer);
        WeightAverage resumed = WeightAverage.read(SafeTensors.parse(w.toBytes(), null), layer);
        assertEquals(3, resumed.count());
        move(layer, rng);
        straight.update(layer);
        resumed.update(layer);
        Dense a = new Dense(3, 2, DType.F32, new SplittableRandom(7)), b = new Dense(3, 2, DType.F32, new SplittableRandom(8));
        straight.copyInto(a);
        resumed.copyInto(b);
        assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
        assertArrayEquals(a.bias().toFloatArray(), b.bias().toFloatArray());
        // a checkpoint without an average gives an empty one
        assertEquals(0, WeightAverage.read(SafeTensors.parse(new SafeTensors.Writer().toBytes(), null), layer).count());
    }

    @Test void refusesAnotherModelAndAnEmptyAverage() {
        Dense layer = new Dense(3, 2, DType.F32, new SplittableRandom(9));
        WeightAverage average = new WeightAverage(layer);
        assertThrows(IllegalStateException.class, () -> average.copyInto(layer));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> average.update(new Dense(4, 2, DType.F32, new SplittableRandom(1))));
        assertTrue(e.getMessage().contains("another model") && e.getMessage().contains("weight"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> average.write(new SafeTensors.Writer(), new Dense(3, 4, DType.F32, new SplittableRandom(1))));
    }
}
