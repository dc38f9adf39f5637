package dev.ser.audio.pipeline;

/**
 * A feature matrix fitted to a fixed number of frames, so clips of different lengths stack into one batch:
 * {@code data} is [maxFrames x width] in C order; rows [0, validFrames) are the clip's first frames, rows
 * [validFrames, maxFrames) are zeros. The mask marks the valid rows; pooling, losses and normalization must
 * ignore the rest. A clip longer than maxFrames keeps its first maxFrames frames (the start of an utterance
 * carries its onset; RAVDESS clips here are already cut at the end, see shared/datasets/README.md).
 */
public record PaddedFeatures(float[] data, int maxFrames, int width, int validFrames) {
    public PaddedFeatures {
        if (maxFrames <= 0 || width <= 0)
            throw new IllegalArgumentException("expected maxFrames > 0 and width > 0; found " + maxFrames + ", " + width);
        if (validFrames < 0 || validFrames > maxFrames)
            throw new IllegalArgumentException("validFrames must be in [0, " + maxFrames + "]; found " + validFrames);
        if ((long) maxFrames * width != data.length)
            throw new IllegalArgumentException("expected " + maxFrames + " x " + width + " values, found " + data.length);
    }

    /** Pads with zero rows or keeps the first {@code maxFrames} rows. */
    public static PaddedFeatures fit(FeatureMatrix m, int maxFrames) {
        if (maxFrames <= 0) throw new IllegalArgumentException("maxFrames must be positive; found " + maxFrames);
        int valid = Math.min(m.frames(), maxFrames);
        float[] out = new float[maxFrames * m.width()];
        System.arraycopy(m.data(), 0, out, 0, valid * m.width());
        return new PaddedFeatures(out, maxFrames, m.width(), valid);
    }

    /** Every frame valid: for normalizing a whole clip without padding it. */
    public static PaddedFeatures whole(FeatureMatrix m) {
        return new PaddedFeatures(m.data().clone(), Math.max(1, m.frames()), m.width(), m.frames());
    }

    public float get(int frame, int column) { return data[frame * width + column]; }

    /** {@code mask[t]} is true for the clip's frames, false for padding. */
    public boolean[] mask() {
        boolean[] m = new boolean[maxFrames];
        for (int t = 0; t < validFrames; t++) m[t] = true;
        return m;
    }

    /** The mask as 1.0/0.0, the form a batched kernel multiplies by. */
    public float[] maskAsFloats() {
        float[] m = new float[maxFrames];
        for (int t = 0; t < validFrames; t++) m[t] = 1f;
        return m;
    }
}
