package dev.ser.audio.pipeline;

import dev.ser.audio.features.Chroma;
import dev.ser.audio.features.Deltas;
import dev.ser.audio.features.Matrix;
import dev.ser.audio.features.MelChroma;
import dev.ser.audio.features.MelFilterbank;
import dev.ser.audio.features.Mfcc;
import dev.ser.audio.features.PowerToDb;
import dev.ser.audio.features.Rms;
import dev.ser.audio.features.SpectralCentroid;
import dev.ser.audio.features.Stft;
import dev.ser.audio.features.Tuning;
import dev.ser.audio.features.VocalTractWarp;
import dev.ser.audio.features.Yin;
import dev.ser.audio.features.ZeroCrossingRate;
import dev.ser.audio.io.Audio;
import dev.ser.audio.io.WavReader;
import dev.ser.audio.resample.Resampler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature pipeline: decode ({@link WavReader}, mono) -> resample to {@code sr} ({@link Resampler},
 * kaiser_best) -> the selected features, as a [frames x features] {@link FeatureMatrix} in
 * {@link FeatureLayout}'s column order. Each feature equals the librosa call its {@link Feature} names,
 * with the config's parameters (rms and zcr with {@code frame_length=n_fft}).
 *
 * <p>One STFT per clip: its magnitude feeds centroid and the stft feature, its square (rounded to float
 * first, as numpy squares a complex64 STFT's magnitude) feeds mel and chroma; the dB mel feeds both the mel
 * feature and the MFCCs. That is the same arithmetic as separate librosa calls, without the repeats. When
 * nothing but mel (MFCC) and chroma at a given tuning needs the spectrogram (the default config), the STFT,
 * mel and chroma run frame by frame in one pass ({@link MelChroma}) and the spectrogram is never built;
 * {@code FastPathsTest} holds that path to the stage-by-stage one and to librosa.
 *
 * <p>Build one per config and reuse it: window, FFT plan and filterbanks are made once. Thread-safe.
 */
public final class FeatureExtractor {
    private final FeatureConfig config;
    private final FeatureLayout layout;
    private final Stft stft;
    private final MelFilterbank melFilterbank;
    private final Mfcc mfcc;
    private final Chroma chroma;
    /** The one-pass mel/chroma path, when the config needs the power spectrogram for nothing else; else null. */
    private final MelChroma melChroma;
    private final Yin pitch;

    public FeatureExtractor(FeatureConfig config) {
        this.config = config;
        this.layout = config.layout();
        this.stft = new Stft(config.nFft(), config.hopLength(), config.winLength(), true);
        boolean mel = config.has(Feature.MEL) || config.has(Feature.MFCC);
        this.melFilterbank = mel ? new MelFilterbank(config.sr(), config.nFft(), config.nMels(), config.fmin(),
                config.fmaxOrNyquist(), config.htk(), config.norm() == null ? MelFilterbank.Norm.NONE : MelFilterbank.Norm.SLANEY) : null;
        this.mfcc = config.has(Feature.MFCC) ? new Mfcc(config.nMfcc(), config.nMels(), config.lifter()) : null;
        this.chroma = config.has(Feature.CHROMA) ? new Chroma(config.sr(), stft, config.nChroma()) : null;
        this.pitch = config.has(Feature.PITCH) ? config.pitchTracker() : null;
        // Magnitude features (centroid, stft) and tuning estimation read the whole spectrogram: those configs take the
        // stage-by-stage path. The rest (the default: mfcc, mel, chroma at tuning 0) runs frame by frame.
        boolean onePass = !config.has(Feature.CENTROID) && !config.has(Feature.STFT)
                && (chroma == null || config.tuning() != null) && (melFilterbank != null || chroma != null);
        this.melChroma = onePass ? new MelChroma(stft, melFilterbank, chroma) : null;
    }

    public FeatureConfig config() { return config; }

    public FeatureLayout layout() { return layout; }

    /** Decodes, resamples and computes. Decoding errors are {@link dev.ser.audio.io.AudioFormatException}s. */
    public FeatureMatrix extract(Path wav) throws IOException {
        return extract(WavReader.read(wav));
    }

    /** Resamples a decoded clip to {@code sr} (when it is not already there) and computes. */
    public FeatureMatrix extract(Audio audio) {
        return compute(toModelRate(audio));
    }

    /** The clip's samples at the config's rate, as {@code librosa.load(path, sr=sr, res_type="kaiser_best")}. */
    public float[] toModelRate(Audio audio) {
        return audio.sampleRate() == config.sr() ? audio.samples()
                : Resampler.of(audio.sampleRate(), config.sr()).resample(audio.samples());
    }

    /** The features of mono samples already at {@code sr}. */
    public FeatureMatrix compute(float[] y) { return compute(y, 1.0); }

    /**
     * The features with the mel filterbank's view of the spectrum warped by {@code vtlp} ({@link VocalTractWarp}: a
     * training augmentation; 1 = none). Mel and MFCCs see the warped spectrum; chroma, pitch and the magnitude
     * features do not (the voice's pitch is not what VTLP changes).
     */
    public FeatureMatrix compute(float[] y, double vtlp) {
        boolean warped = vtlp != 1.0 && melFilterbank != null;
        int frames = stft.frameCount(y.length);
        if (!config.deltas().isEmpty() && frames < config.deltaWidth())
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "the clip is %.0f ms long (%d frames); MFCC deltas of width %d need at least %d frames (%.0f ms at "
                    + "hop_length %d): drop --deltas, or skip clips this short", 1000.0 * y.length / config.sr(), frames,
                    config.deltaWidth(), config.deltaWidth(), 1000.0 * (config.deltaWidth() - 1) * config.hopLength() / config.sr(),
                    config.hopLength()));
        Matrix magnitude = null, power = null, melPower = null, chromaOnePass = null;
        if (melChroma != null && !warped) {
            MelChroma.Result r = melChroma.compute(y, config.tuning() == null ? 0.0 : config.tuning());
            melPower = r.melPower();
            chromaOnePass = r.chroma();
        } else {
            boolean needMagnitude = config.has(Feature.CENTROID) || config.has(Feature.STFT);
            boolean needPower = melFilterbank != null || chroma != null;
            magnitude = needMagnitude ? stft.magnitude(y) : null;
            power = !needPower ? null : magnitude != null ? squared(magnitude) : stft.power(y);
            melPower = melFilterbank == null ? null : melFilterbank.apply(warped ? VocalTractWarp.apply(power, vtlp, config.sr()) : power);
        }
        Matrix melDb = melPower == null ? null : PowerToDb.powerToDb(melPower, 1.0, 1e-10,
                config.topDb() == null ? Double.POSITIVE_INFINITY : config.topDb());

        // Blocks in layout order, each [block width x frames] as librosa returns them.
        List<Matrix> blocks = new ArrayList<>();
        for (Feature f : config.features()) {
            switch (f) {
                case MFCC -> {
                    Matrix c = mfcc.fromLogMel(melDb);
                    blocks.add(c);
                    for (int order : config.deltas()) blocks.add(Deltas.delta(c, config.deltaWidth(), order));
                }
                case MEL -> blocks.add(melDb);
                case CHROMA -> blocks.add(chromaOnePass != null ? chromaOnePass : chroma.fromPower(power, config.tuning() != null
                        ? config.tuning() : Tuning.estimateTuning(power, config.sr(), 0.01, config.nChroma())));
                case RMS -> blocks.add(Rms.rms(y, config.nFft(), config.hopLength(), true));
                case ZCR -> blocks.add(ZeroCrossingRate.zeroCrossingRate(y, config.nFft(), config.hopLength(), true));
                case CENTROID -> blocks.add(SpectralCentroid.spectralCentroid(magnitude, config.sr()));
                case PITCH -> {
                    Yin.Track track = pitch.track(y);
                    blocks.add(pitchBlock(track.f0(), f0 -> 69 + 12 * Math.log(f0 / 440.0) / Math.log(2)));
                    blocks.add(pitchBlock(track.aperiodicity(), a -> Math.min(a, 1.0)));
                }
                case STFT -> blocks.add(magnitude);
            }
        }
        return interleave(blocks, frames);
    }

    private static Matrix pitchBlock(double[] perFrame, java.util.function.DoubleUnaryOperator f) {
        float[] out = new float[perFrame.length];
        for (int t = 0; t < out.length; t++) out[t] = (float) f.applyAsDouble(perFrame[t]);
        return new Matrix(1, out.length, out);
    }

    /** |X|^2 from |X| in float, the way {@code Stft.power} rounds. */
    private static Matrix squared(Matrix magnitude) {
        float[] m = magnitude.data(), p = new float[m.length];
        for (int i = 0; i < m.length; i++) p[i] = m[i] * m[i];
        return new Matrix(magnitude.rows(), magnitude.cols(), p);
    }

    /** Transposes each [rows x frames] block into its column range of the [frames x width] matrix. */
    private FeatureMatrix interleave(List<Matrix> blocks, int frames) {
        int width = layout.width();
        float[] out = new float[frames * width];
        int col = 0;
        for (int b = 0; b < blocks.size(); b++) {
            Matrix m = blocks.get(b);
            FeatureLayout.Range r = layout.ranges().get(b);
            if (m.cols() != frames || m.rows() != r.width())
                throw new IllegalStateException(r.name() + " came out " + m.rows() + " x " + m.cols() + ", expected "
                        + r.width() + " x " + frames + ": a feature's framing disagrees with the STFT's");
            float[] d = m.data();
            for (int i = 0; i < m.rows(); i++, col++)
                for (int t = 0, src = i * frames; t < frames; t++) out[t * width + col] = d[src + t];
        }
        return new FeatureMatrix(out, frames, width, layout);
    }
}
