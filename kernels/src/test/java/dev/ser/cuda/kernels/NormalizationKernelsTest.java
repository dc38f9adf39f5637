package dev.ser.cuda.kernels;

import dev.ser.audio.pipeline.Normalization;
import dev.ser.audio.pipeline.NormalizationReference;
import dev.ser.audio.pipeline.PaddedFeatures;
import dev.ser.engine.tensor.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;

/**
 * normalization.cu against audio's Normalization, row by row of a padded batch with ragged lengths
 * (including an empty row and a constant column): the moments in double in the reference's order and the
 * apply in float with the reference's roundings, so F32 is exact. The reference is float-only; for F64
 * the same formulas in double are checked against it within F32 precision (1e-5).
 */
class NormalizationKernelsTest {
    private static final int[] LENGTHS = {40, 17, 0, 1, 33};
    private static final int FRAMES = 40, WIDTH = 33;

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void perUtteranceAndDatasetStatistics(TestDevices.Kind kind) {
        Random r = new Random();
        int batch = LENGTHS.length, rowSize = FRAMES * WIDTH;
        float[] x = new float[batch * rowSize];
        PaddedFeatures[] rows = new PaddedFeatures[batch];
        for (int b = 0; b < batch; b++) {
            float[] row = new float[rowSize];
            for (int t = 0; t < LENGTHS[b]; t++)
                for (int f = 0; f < WIDTH; f++) row[t * WIDTH + f] = f == 3 ? -80f : (float) (r.rng.nextGaussian() * 10 - 40);
            System.arraycopy(row, 0, x, b * rowSize, rowSize);
            rows[b] = new PaddedFeatures(row, FRAMES, WIDTH, LENGTHS[b]);
        }
        double[] datasetMean = r.normal(DType.F64, WIDTH).toDoubleArray(), datasetVar = r.uniform(DType.F64, 0, 50, WIDTH).toDoubleArray();
        datasetVar[5] = 0; // constant column in the dataset, with epsilon 0 below: scale 0, not NaN
        for (DType p : DType.values()) {
            double tol = p == DType.F32 ? 0 : 1e-5;
            try (DeviceScope s = new DeviceScope(kind)) {
                double[] xd = new double[x.length];
                for (int i = 0; i < x.length; i++) xd[i] = x[i];
                long dx = s.put(p, xd), dLen = s.putInts(LENGTHS), out = s.output(p, x.length);
                long mean = s.output(DType.F64, (long) batch * WIDTH), var = s.output(DType.F64, (long) batch * WIDTH);
                s.k.normalizationMeanAndVariance(p, batch, FRAMES, WIDTH, dx, dLen, mean, var);
                double[] gotMean = s.get(mean, DType.F64, batch * WIDTH), gotVar = s.get(var, DType.F64, batch * WIDTH);
                s.k.normalizationPerUtterance(p, batch, FRAMES, WIDTH, dx, dLen, Normalization.EPSILON, out);
                double[] cmvn = s.get(out, p, x.length);
                for (double eps : new double[]{Normalization.EPSILON, 0}) {
                    long dMean = s.put(DType.F64, datasetMean), dVar = s.put(DType.F64, datasetVar);
                    s.k.normalizationApply(p, batch, FRAMES, WIDTH, dx, dLen, dMean, dVar, false, eps, out);
                    double[] dataset = s.get(out, p, x.length);
                    for (int b = 0; b < batch; b++) {
                        String where = p + " row " + b + " (length " + LENGTHS[b] + ")" + r.tag();
                        double[] m = new double[WIDTH], v = new double[WIDTH];
                        NormalizationReference.meanAndVariance(rows[b], m, v);
                        Compare.exact("mean " + where, m, Arrays.copyOfRange(gotMean, b * WIDTH, (b + 1) * WIDTH));
                        Compare.exact("variance " + where, v, Arrays.copyOfRange(gotVar, b * WIDTH, (b + 1) * WIDTH));
                        Compare.close("per-utterance " + where, floats(Normalization.perUtterance(rows[b]).data()),
                                Arrays.copyOfRange(cmvn, b * rowSize, (b + 1) * rowSize), tol);
                        Compare.close("dataset statistics, epsilon " + eps + ", " + where,
                                floats(Normalization.apply(rows[b], datasetMean, datasetVar, eps).data()),
                                Arrays.copyOfRange(dataset, b * rowSize, (b + 1) * rowSize), tol);
                    }
                }
            }
        }
    }

    private static double[] floats(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
