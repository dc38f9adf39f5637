package dev.ser.audio.features;

import java.util.Arrays;

/**
 * A dense row-major float matrix in librosa's orientation: {@code rows} features (frequency bins, mel
 * bands, coefficients, chroma classes) by {@code cols} frames. Element {@code (r, c)} is
 * {@code data[r * cols + c]}, so one feature's trajectory over time is a contiguous slice; that is the
 * layout numpy gives librosa's {@code [n_features, n_frames]} arrays, which keeps comparisons against
 * its references a plain element-by-element loop.
 */
public record Matrix(int rows, int cols, float[] data) {

    public Matrix {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("a matrix needs rows, cols >= 0, got " + rows + " x " + cols);
        if (data == null || (long) rows * cols != data.length)
            throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix needs " + ((long) rows * cols)
                    + " values, got " + (data == null ? "null" : data.length));
    }

    public static Matrix zeros(int rows, int cols) {
        return new Matrix(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    public float get(int r, int c) { return data[r * cols + c]; }

    public void set(int r, int c, float v) { data[r * cols + c] = v; }

    /** A copy of row {@code r}: one feature over all frames. */
    public float[] row(int r) { return Arrays.copyOfRange(data, r * cols, (r + 1) * cols); }

    /** A copy of column {@code c}: all features of one frame. */
    public float[] col(int c) {
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) out[r] = data[r * cols + c];
        return out;
    }

    /** The [rows, cols] shape as safetensors and numpy write it. */
    public int[] shape() { return new int[] {rows, cols}; }

    @Override public String toString() { return "Matrix[" + rows + " x " + cols + "]"; }
}
