package dev.ser.audio.pipeline;

/**
 * One clip's features: {@code data[t * width + f]} is feature column f of frame t (frames along rows,
 * C order), the layout models consume. librosa returns the transpose, [features x frames]; see
 * {@link #toFeaturesByFrames()}.
 */
public record FeatureMatrix(float[] data, int frames, int width, FeatureLayout layout) {
    public FeatureMatrix {
        if (layout.width() != width)
            throw new IllegalArgumentException("the layout has " + layout.width() + " columns, the matrix " + width);
        if ((long) frames * width != data.length)
            throw new IllegalArgumentException("expected " + frames + " x " + width + " = " + (long) frames * width
                    + " values, found " + data.length);
    }

    public float get(int frame, int column) { return data[frame * width + column]; }

    /** Columns of one block ({@code "mfcc"}, {@code "mel"}, ...) as a new [frames x blockWidth] array. */
    public float[] block(String name) {
        FeatureLayout.Range r = layout.range(name);
        float[] out = new float[frames * r.width()];
        for (int t = 0; t < frames; t++) System.arraycopy(data, t * width + r.start(), out, t * r.width(), r.width());
        return out;
    }

    /** The transpose, [width x frames] in C order: librosa's orientation, to compare with it element by element. */
    public float[] toFeaturesByFrames() {
        float[] out = new float[data.length];
        for (int t = 0; t < frames; t++)
            for (int f = 0; f < width; f++) out[f * frames + t] = data[t * width + f];
        return out;
    }
}
