package dev.ser.audio.resample;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited resampling that reproduces {@code librosa.resample(y, orig_sr=srFrom,
 * target_sr=srTo, res_type='kaiser_best')}: resampy's Kaiser-windowed sinc ({@link KaiserBest}),
 * and librosa's output length {@code ceil(n * srTo / srFrom)}.
 *
 * <p>librosa quirk kept on purpose: resampy computes {@code floor(n * srTo / srFrom)} samples and
 * librosa zero-pads to the ceiling, so when the ratio does not divide the length the last sample
 * is 0. Features computed on our output then match features computed on librosa's.
 *
 * <p>An instance serves one rate pair, holds its precomputed polyphase table and is immutable, so
 * one instance can serve many threads. For streams (stdin, a microphone) use {@link #stream()}: fed
 * in chunks of any size, it produces exactly the samples of the whole-signal call.
 */
public final class Resampler {
    /** The rate the speech-emotion models are trained at. */
    public static final int DEFAULT_TARGET_RATE = 16_000;

    private static final Map<Long, Resampler> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 32;

    private final int srFrom, srTo;
    /** null when the rates are equal, or when the ratio has too many phases to tabulate. */
    private final PolyphaseResampler polyphase;

    /** Builds the filter table for one rate pair (up to a few ms); reuse the instance. */
    public Resampler(int srFrom, int srTo) {
        if (srFrom <= 0 || srTo <= 0)
            throw new IllegalArgumentException("sample rates must be positive, got " + srFrom + " -> " + srTo);
        this.srFrom = srFrom;
        this.srTo = srTo;
        int phases = srTo / PolyphaseResampler.gcd(srFrom, srTo);
        polyphase = srFrom == srTo || phases > PolyphaseResampler.MAX_PHASES ? null : new PolyphaseResampler(srFrom, srTo);
    }

    /** A shared instance for the rate pair (built on first use, then cached). */
    public static Resampler of(int srFrom, int srTo) {
        long key = (long) srFrom << 32 | srTo;
        Resampler r = CACHE.get(key);
        if (r != null) return r;
        if (CACHE.size() >= CACHE_LIMIT) CACHE.clear();  // a tool sweeping many rates; rebuilding is cheap
        return CACHE.computeIfAbsent(key, k -> new Resampler(srFrom, srTo));
    }

    /** {@code librosa.resample(x, orig_sr=srFrom, target_sr=srTo, res_type='kaiser_best')}. */
    public static float[] resample(float[] x, int srFrom, int srTo) {
        return of(srFrom, srTo).resample(x);
    }

    /** The whole signal at the new rate, {@link #outputLength} samples; a copy when the rates are equal. */
    public float[] resample(float[] x) {
        if (srFrom == srTo) return x.clone();
        float[] computed = polyphase != null ? polyphase.resample(x) : DirectResampler.resample(x, srFrom, srTo);
        float[] y = new float[outputLength(x.length)];
        System.arraycopy(computed, 0, y, 0, Math.min(computed.length, y.length));
        return y;
    }

    /** librosa's {@code int(np.ceil(n * (float(target_sr) / orig_sr)))}, with the same double arithmetic. */
    public int outputLength(int inputLength) {
        if (srFrom == srTo) return inputLength;
        return (int) Math.ceil(inputLength * ((double) srTo / srFrom));
    }

    /**
     * A chunked resampler for this rate pair. Not available when the reduced ratio has more than
     * 4096 phases (e.g. 44100 -> 16001); resample such input whole.
     */
    public StreamingResampler stream() {
        if (srFrom != srTo && polyphase == null)
            throw new UnsupportedOperationException("streaming " + srFrom + " -> " + srTo + " Hz needs "
                    + srTo / PolyphaseResampler.gcd(srFrom, srTo) + " filter phases, more than the "
                    + PolyphaseResampler.MAX_PHASES + " we tabulate: resample the whole signal with resample(x)");
        return new StreamingResampler(this, polyphase);
    }

    public int srFrom() {
        return srFrom;
    }

    public int srTo() {
        return srTo;
    }
}
