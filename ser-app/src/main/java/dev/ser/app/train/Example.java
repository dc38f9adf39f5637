package dev.ser.app.train;

/**
 * One training example: normalized features [maxFrames x width] (frames past {@code frames} are zero),
 * the number of valid frames, and the class index. {@code id} names it in errors and reports.
 */
public record Example(String id, float[] features, int frames, int width, int label) {
    public Example {
        if (frames < 1 || features.length % width != 0 || frames * width > features.length)
            throw new IllegalArgumentException(id + ": " + frames + " frames of width " + width + " do not fit " + features.length + " values");
    }

    public int maxFrames() { return features.length / width; }
}
