package dev.ser.app.predict;

import dev.ser.audio.io.Audio;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.resample.Resampler;
import dev.ser.audio.resample.StreamingResampler;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The emotion along long audio: a prediction per sliding window, as the audio arrives.
 *
 * <p><b>Chunks agree with the whole.</b> The input is resampled to the model's rate with
 * {@link StreamingResampler}, which gives the whole-signal resampler's samples whatever the chunk sizes (bit
 * for bit with {@code -Dser.resample.scalar=true}; the default vector dot product's lane reduction may round
 * differently before and after JIT warm-up, a few float ulps). Each window's samples are then handed to {@link Predictor#predictSamples} exactly as a standalone
 * clip of those samples would be: its own STFT (centered, zero-padded at both ends), its own features, the
 * model's normalization. Nothing is carried from one window to the next, and the feature config fixes the dB
 * reference (power_to_db with {@code ref=1.0}, not {@code ref=np.max}; see FeatureConfig's
 * PIPELINE_VERSION), so a window's probabilities equal, bit for bit, {@code ser predict} on a WAV file holding the same
 * samples at the model's rate (predicted alone: in a batch of many files the engine may round a row
 * differently, within a float ulp). StreamPredictorTest checks it. The {@code top_db} floor is relative to each window's own peak, as it is to
 * a file's. (When the input is at another rate, "the same samples" means the resampled ones: resampling a
 * cut excerpt gives slightly different edges than cutting the resampled stream.)
 *
 * <p>Window k covers [k*hop, k*hop + window) seconds; see {@link SlidingWindows} for the last one. Windows
 * below the silence floor (pauses) are reported as such, not classified.
 *
 * <p><b>One speaker</b> ({@code oneSpeaker}, {@code ser predict --stream --speakers one}): for a model trained with
 * speaker-level normalization, window k is standardized over windows 0..k that were classified (itself and every
 * earlier one that was not silent or too short, each a clip of the speaker, as {@code --speakers one} treats a
 * batch of files), from running statistics, so memory does not grow with the stream. Only the past is used: a
 * window's answer is final when printed. Window k is then no longer what the same samples give as a file alone;
 * the first window, when it fits the model's frames (the default window does), still is. With a
 * {@code firstWindow} predictor (a clip-level model: {@code ser predict} gives the bundled default one), the first
 * classified window is answered by it instead, clip by clip, and still joins the speaker's statistics: a
 * speaker-normalized model normalizing a window over itself alone is worse than a clip-level model
 * (docs/results.md, the stream's first window).
 */
public final class StreamPredictor {
    /** One row of the timeline: a prediction, or why the window has none. */
    public record Segment(double start, double end, Prediction prediction, PredictionException skipped) {}

    public static final double DEFAULT_HOP_SECONDS = 0.5;

    private final Predictor predictor, firstWindow;
    private final int windowSamples, hopSamples;
    private final boolean oneSpeaker;

    /** @param windowSeconds the window, or null for the model's maxFrames ({@link #defaultWindowSamples}) */
    public StreamPredictor(Predictor predictor, Double windowSeconds, double hopSeconds) {
        this(predictor, windowSeconds, hopSeconds, false);
    }

    /** @param oneSpeaker the stream is one speaker: each window normalized over the windows so far (see above) */
    public StreamPredictor(Predictor predictor, Double windowSeconds, double hopSeconds, boolean oneSpeaker) {
        this(predictor, windowSeconds, hopSeconds, oneSpeaker, null);
    }

    /**
     * @param firstWindow with {@code oneSpeaker}, the predictor that answers for the first classified window (null:
     *                    {@code predictor}, normalizing it over itself); same labels and sample rate as {@code predictor}
     */
    public StreamPredictor(Predictor predictor, Double windowSeconds, double hopSeconds, boolean oneSpeaker, Predictor firstWindow) {
        if (firstWindow != null && (!oneSpeaker || firstWindow.sampleRate() != predictor.sampleRate()
                || !firstWindow.ensemble().labels().equals(predictor.ensemble().labels())))
            throw new IllegalArgumentException("a first-window model is for one speaker's stream, with the same labels and sample rate as the "
                    + "speaker model's");
        this.predictor = predictor;
        this.firstWindow = firstWindow;
        this.oneSpeaker = oneSpeaker;
        int sr = predictor.sampleRate();
        this.windowSamples = windowSeconds == null ? defaultWindowSamples(predictor) : (int) Math.round(windowSeconds * sr);
        this.hopSamples = (int) Math.round(hopSeconds * sr);
        if (windowSamples <= 0 || hopSamples <= 0)
            throw new IllegalArgumentException(String.format(Locale.ROOT, "expected a window and a hop of at least one sample (1/%d s);"
                    + " found --window %s s, --hop %s s", sr, windowSeconds == null ? "(default)" : windowSeconds, hopSeconds));
    }

    /**
     * The samples that give exactly the model's maxFrames frames: with center=True, n samples give
     * 1 + n / hop_length frames, so (maxFrames - 1) * hop_length; 2.39 s for 240 frames at 10 ms.
     */
    public static int defaultWindowSamples(Predictor p) {
        FeatureConfig c = p.featureConfig();
        return (p.ensemble().maxFrames() - 1) * c.hopLength() + (c.nFft() % 2);  // odd n_fft pads one sample less
    }

    public int windowSamples() { return windowSamples; }

    public boolean oneSpeaker() { return oneSpeaker; }

    /** Whether a clip-level model answers for the first window of one speaker's stream. */
    public boolean firstWindowAlone() { return firstWindow != null; }

    public int hopSamples() { return hopSamples; }

    public double windowSeconds() { return (double) windowSamples / predictor.sampleRate(); }

    public double hopSeconds() { return (double) hopSamples / predictor.sampleRate(); }

    /** Reads the stream to its end, handing each window's segment to {@code sink} as soon as it is complete. */
    public void run(PcmStream in, String name, Consumer<Segment> sink) throws IOException {
        Pipeline p = new Pipeline(in.sampleRate(), name, sink);
        for (float[] chunk; (chunk = in.next()) != null; ) p.push(chunk);
        p.finish();
    }

    /** A decoded clip, fed through the same path as a stream (one second at a time). */
    public void run(Audio audio, String name, Consumer<Segment> sink) {
        Pipeline p = new Pipeline(audio.sampleRate(), name, sink);
        float[] y = audio.samples();
        for (int from = 0; from < y.length; from += audio.sampleRate())
            p.push(Arrays.copyOfRange(y, from, Math.min(y.length, from + audio.sampleRate())));
        p.finish();
    }

    /** Input rate -> streaming resampler -> sliding windows -> predictor. */
    private final class Pipeline {
        private final StreamingResampler resampler;
        private final SlidingWindows windows;

        Pipeline(int inputRate, String name, Consumer<Segment> sink) {
            this.resampler = Resampler.of(inputRate, predictor.sampleRate()).stream();
            int sr = predictor.sampleRate();
            Predictor.RunningSpeaker speaker = oneSpeaker ? predictor.newSpeaker() : null;
            boolean[] heard = {false};  // a window of the speaker has been classified
            this.windows = new SlidingWindows(windowSamples, hopSamples, (start, y) -> {
                double t0 = (double) start / sr, t1 = (double) (start + y.length) / sr;
                String where = String.format(Locale.ROOT, "%s[%.2f-%.2f s]", name, t0, t1);
                try {
                    Prediction p;
                    if (speaker == null) p = predictor.predictSamples(y, where);
                    else if (firstWindow != null && !heard[0]) {
                        predictor.listen(y, where, speaker);
                        heard[0] = true;
                        p = firstWindow.predictSamples(y, where);
                    } else p = predictor.predictSamples(y, where, speaker);
                    sink.accept(new Segment(t0, t1, p, null));
                } catch (PredictionException e) {
                    sink.accept(new Segment(t0, t1, null, e));
                }
            });
        }

        void push(float[] chunk) {
            float[] y = resampler.push(chunk);
            if (y.length > 0) windows.push(y);
        }

        void finish() {
            float[] tail = resampler.finish();
            if (tail.length > 0) windows.push(tail);
            windows.finish();
        }
    }
}
