package dev.ser.audio.features;

import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code librosa.feature.delta(data, width, order, axis=-1, mode='interp')}: local derivative estimates
 * along time, which librosa computes as {@code scipy.signal.savgol_filter(data, width, polyorder=order,
 * deriv=order, delta=1.0, mode='interp')}.
 *
 * <p>Savitzky-Golay: at each frame, fit a polynomial of degree {@code order} by least squares to the
 * {@code width} samples around it and take its {@code order}-th derivative at the centre. That is a fixed
 * linear filter (for order 1 and width 9, {@code sum_j j x[t+j] / 60}). With {@code mode='interp'} the
 * first and last {@code width/2} frames have no full window; scipy instead fits one polynomial to the
 * first (last) {@code width} samples and evaluates its derivative at those frames' positions. Every output
 * is therefore a fixed weighting of {@code width} inputs; the weights are built once per (width, order)
 * and cached.
 *
 * <p>Two versions side by side: {@link #delta} (interior frames as float fma over time with the Vector API,
 * cached weights) and {@link #deltaPlain} (double accumulation, weights rebuilt per call, as this class
 * first was). {@code FastPathsTest} holds them to float rounding of each other.
 */
public final class Deltas {

    private Deltas() {}

    /** {@code librosa.feature.delta(data, width=9, order)}. */
    public static Matrix delta(Matrix data, int order) { return delta(data, 9, order); }

    /**
     * @param data  [n_features, n_frames]; derivatives are taken along frames
     * @param width odd window length >= 3, at most n_frames (librosa raises otherwise)
     * @param order derivative order >= 1 (1: delta, 2: delta-delta)
     * @throws IllegalArgumentException where librosa raises {@code ParameterError}: too few frames for the
     *         window, an even or too small width, or a non-positive order
     */
    public static Matrix delta(Matrix data, int width, int order) {
        check(data, width, order);
        Filter f = filter(width, order);
        int frames = data.cols(), half = width / 2;
        Matrix out = Matrix.zeros(data.rows(), frames);
        float[] x = data.data(), o = out.data();
        float[] c = f.centreF;
        for (int r = 0; r < data.rows(); r++) {
            int base = r * frames;
            // Interior: the centre filter, eight (or 16) frames per step, fma in tap order. Lanes are independent
            // and the tap order is fixed, so every tier (interpreter, C2) gives the same bits.
            int t = half, end = frames - half;
            for (int upper = half + S.loopBound(end - half); t < upper; t += S.length()) {
                FloatVector acc = FloatVector.zero(S);
                for (int j = 0; j < width; j++)
                    acc = FloatVector.fromArray(S, x, base + t - half + j).fma(FloatVector.broadcast(S, c[j]), acc);
                acc.intoArray(o, base + t);
            }
            for (; t < end; t++) {
                float acc = 0f;
                for (int j = 0; j < width; j++) acc = Math.fma(x[base + t - half + j], c[j], acc);
                o[base + t] = acc;
            }
            edges(f, x, o, base, frames);
        }
        return out;
    }

    /** The reference: every output a double-accumulated weighting of its window, weights rebuilt per call. */
    static Matrix deltaPlain(Matrix data, int width, int order) {
        check(data, width, order);
        Filter f = new Filter(width, order);
        int frames = data.cols(), half = width / 2;
        Matrix out = Matrix.zeros(data.rows(), frames);
        float[] x = data.data(), o = out.data();
        for (int r = 0; r < data.rows(); r++) {
            int base = r * frames;
            for (int t = half; t < frames - half; t++) {
                double acc = 0;
                for (int j = 0; j < width; j++) acc += f.centre[j] * x[base + t - half + j];
                o[base + t] = (float) acc;
            }
            edges(f, x, o, base, frames);
        }
        return out;
    }

    /** The first and last width/2 frames: one polynomial fit over the first (last) width samples. */
    private static void edges(Filter f, float[] x, float[] o, int base, int frames) {
        int width = f.centre.length, half = width / 2;
        for (int i = 0; i < half; i++) {
            double a = 0, b = 0;
            for (int j = 0; j < width; j++) {
                a += f.head[i][j] * x[base + j];
                b += f.tail[i][j] * x[base + frames - width + j];
            }
            o[base + i] = (float) a;
            o[base + frames - half + i] = (float) b;
        }
    }

    private static void check(Matrix data, int width, int order) {
        int frames = data.cols();
        if (width > frames)
            throw new IllegalArgumentException("when mode='interp', width=" + width + " cannot exceed data.shape[axis]=" + frames
                    + " (librosa ParameterError): the input has too few frames for deltas; use a longer clip, pad it, "
                    + "or a smaller odd width >= 3");
        if (width < 3 || width % 2 != 1) throw new IllegalArgumentException("width must be an odd integer >= 3, got " + width);
        if (order <= 0) throw new IllegalArgumentException("order must be a positive integer, got " + order);
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Filters by (width, order): building one costs ~100 us of Math.pow and a small solve, more than applying it. */
    private static final ConcurrentHashMap<Long, Filter> FILTERS = new ConcurrentHashMap<>();

    static Filter filter(int width, int order) {
        return FILTERS.computeIfAbsent(((long) width << 32) | order, k -> new Filter(width, order));
    }

    /** The Savitzky-Golay weights of one (width, order): interior, and each edge frame's own fit. */
    static final class Filter {
        final double[] centre;
        final float[] centreF;
        final double[][] head, tail;

        Filter(int width, int order) {
            int half = width / 2;
            // Interior: window positions -half..half, derivative at 0.
            centre = weights(width, order, order, half);
            centreF = new float[width];
            for (int j = 0; j < width; j++) centreF[j] = (float) centre[j];
            // Edges: one fit over the first (last) width samples, derivative at positions 0..half-1 (width-half..width-1).
            head = new double[half][];
            tail = new double[half][];
            for (int i = 0; i < half; i++) {
                head[i] = weights(width, order, order, i);
                tail[i] = weights(width, order, order, width - half + i);
            }
        }
    }

    /**
     * Least-squares weights w such that {@code sum_j w[j] x[j]} is the {@code deriv}-th derivative, at
     * position {@code at}, of the degree-{@code polyorder} polynomial fitted to samples x[0..width-1] at
     * positions 0..width-1. Solved from the normal equations in a centred coordinate (well conditioned
     * for the small widths and orders used here).
     */
    static double[] weights(int width, int polyorder, int deriv, double at) {
        int p = polyorder + 1;
        double c = (width - 1) / 2.0;
        // Vandermonde V[j][i] = u_j^i with u_j = j - c; normal matrix A = V^T V.
        double[][] a = new double[p][p];
        for (int j = 0; j < width; j++) {
            double u = j - c;
            for (int i = 0; i < p; i++) for (int k = 0; k < p; k++) a[i][k] += Math.pow(u, i) * Math.pow(u, k);
        }
        // g[i] = d^deriv/du^deriv of u^i at u = at - c; weights w = V (A^-1 g).
        double[] g = new double[p];
        for (int i = deriv; i < p; i++) {
            double fall = 1;
            for (int q = 0; q < deriv; q++) fall *= i - q;
            g[i] = fall * Math.pow(at - c, i - deriv);
        }
        double[] z = solve(a, g);
        double[] w = new double[width];
        for (int j = 0; j < width; j++) {
            double u = j - c, s = 0;
            for (int i = 0; i < p; i++) s += z[i] * Math.pow(u, i);
            w[j] = s;
        }
        return w;
    }

    /** Gaussian elimination with partial pivoting on a small dense system. */
    private static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = a0[i].clone();
        double[] b = b0.clone();
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
            double[] tr = a[col]; a[col] = a[piv]; a[piv] = tr;
            double tb = b[col]; b[col] = b[piv]; b[piv] = tb;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int k = col; k < n; k++) a[r][k] -= f * a[col][k];
                b[r] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= a[i][k] * x[k];
            x[i] = s / a[i][i];
        }
        return x;
    }
}
