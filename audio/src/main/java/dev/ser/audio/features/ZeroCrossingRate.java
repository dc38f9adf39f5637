package dev.ser.audio.features;

/**
 * {@code librosa.feature.zero_crossing_rate(y, frame_length, hop_length, center)} with librosa's
 * defaults for {@code librosa.zero_crossings} (threshold 1e-10, {@code zero_pos=True}, {@code pad=False}).
 *
 * <p>Per librosa 0.10.2: with {@code center=True} the signal is padded by {@code frame_length/2} on each
 * side in {@code 'edge'} mode (repeating the first/last sample, not zeros, unlike rms and stft); samples
 * with {@code |y| <= 1e-10} count as zero, and zero counts as positive (the sign is numpy's
 * {@code signbit}); a crossing is a sign change between consecutive samples inside one frame, so a frame
 * has {@code frame_length - 1} chances, and the rate is crossings / {@code frame_length} (the first
 * sample's "no crossing" pad counts in the mean).
 */
public final class ZeroCrossingRate {

    private ZeroCrossingRate() {}

    /** librosa's {@code threshold}: 1e-10, compared in float32 as numpy does for a float32 signal. */
    private static final float THRESHOLD = 1e-10f;

    /** librosa's defaults: {@code frame_length=2048, hop_length=512, center=True}. */
    public static Matrix zeroCrossingRate(float[] y) { return zeroCrossingRate(y, 2048, 512, true); }

    public static Matrix zeroCrossingRate(float[] y, int frameLength, int hopLength, boolean center) {
        int frames = Framing.frameCount(y.length, frameLength, hopLength, center);
        int offset = center ? frameLength / 2 : 0;
        int n = y.length;
        if (n == 0) return new Matrix(1, frames, new float[frames]);
        // crossing[i] for the padded signal p: sign(p[i-1]) != sign(p[i]); prefix[i] counts crossings at 1..i-1.
        int paddedLength = n + 2 * offset;
        int[] prefix = new int[paddedLength + 1];
        boolean prev = negative(y[0]);
        for (int i = 1; i < paddedLength; i++) {
            boolean cur = negative(y[Math.min(n - 1, Math.max(0, i - offset))]);
            prefix[i + 1] = prefix[i] + (cur != prev ? 1 : 0);
            prev = cur;
        }
        float[] out = new float[frames];
        for (int t = 0; t < frames; t++) {
            int start = t * hopLength;
            // Crossings between start..start+frame_length-1: those at indices start+1 .. start+frame_length-1.
            int count = prefix[start + frameLength] - prefix[start + 1];
            out[t] = (float) ((double) count / frameLength);
        }
        return new Matrix(1, frames, out);
    }

    /** numpy's signbit after librosa zeroes |v| <= threshold: true only for clearly negative samples. */
    private static boolean negative(float v) {
        return Math.abs(v) > THRESHOLD && v < 0;
    }
}
