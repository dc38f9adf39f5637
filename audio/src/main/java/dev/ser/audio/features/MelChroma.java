package dev.ser.audio.features;

/**
 * The mel power spectrogram and the chroma of one signal from a single pass over its STFT frames: each
 * frame is windowed, transformed and squared into a scratch row ({@link Stft#powerFrame}), and that row goes
 * through the sparse mel filterbank ({@link MelFilterbank#applyFrame}) and the chroma filterbank
 * ({@link Chroma#applyFrame}) while it is in L1. The [1 + n_fft/2, n_frames] power spectrogram is never
 * built, nor transposed, and nothing is allocated per frame. This is what the pipeline runs when it needs the
 * power spectrogram only for mel (and so MFCC) and chroma at a known tuning.
 *
 * <p>{@link #computePlain} is the reference beside it: {@link Stft#power}, {@link MelFilterbank#apply} and
 * {@link Chroma#fromPower} stage by stage, as the separate librosa calls. {@code FastPathsTest} holds the two
 * to float rounding of each other; {@code LibrosaParityTest} holds the stages to librosa.
 *
 * <p>Measured with System.nanoTime sections around each stage, best of 30 passes over the 58 RAVDESS clips of
 * Actor_01 at 16 kHz (13.9k frames), on the shared 2-core AMD EPYC under load, 2026-11-24: this pass 47 ms
 * (3.4 us a frame, of which JTransforms' {@code realForward} of 512 points is ~2.3 us, windowing and
 * {@link Stft#powersVector} ~0.2 us, the mel and chroma kernels ~0.25 us each); stage by stage it was 66 ms
 * (STFT with magnitudes and transposed writes 55, mel 2, chroma as a double product over the whole spectrogram 9).
 */
public final class MelChroma {

    private final Stft stft;
    private final MelFilterbank mel;
    private final Chroma chroma;

    /**
     * @param mel    the mel filterbank (same n_fft as the STFT), or null for no mel
     * @param chroma the chroma projection (built on the same STFT), or null for no chroma
     */
    public MelChroma(Stft stft, MelFilterbank mel, Chroma chroma) {
        if (mel != null && mel.nBins() != stft.nBins())
            throw new IllegalArgumentException("the mel filterbank has " + mel.nBins() + " bins but the STFT gives " + stft.nBins()
                    + ": build both with the same n_fft");
        this.stft = stft;
        this.mel = mel;
        this.chroma = chroma;
    }

    /** {@code melPower}: [n_mels, n_frames] (|X|^2 through the filterbank), or null; {@code chroma}: [n_chroma, n_frames] or null. */
    public record Result(Matrix melPower, Matrix chroma) {}

    /** Both from one pass over the frames; {@code tuning} as {@link Chroma#fromPower}'s (ignored without chroma). */
    public Result compute(float[] y, double tuning) {
        int frames = stft.frameCount(y.length);
        float[] buf = new float[stft.nFft()], pow = new float[stft.nBins()];
        int nMels = mel == null ? 0 : mel.nMels(), nChroma = chroma == null ? 0 : chroma.nChroma();
        Matrix melOut = mel == null ? null : Matrix.zeros(nMels, frames);
        Matrix chromaOut = chroma == null ? null : Matrix.zeros(nChroma, frames);
        float[] md = melOut == null ? null : melOut.data(), cd = chromaOut == null ? null : chromaOut.data();
        float[] melRow = mel == null ? null : new float[mel.paddedBands()];
        float[] chromaRow = chroma == null ? null : new float[chroma.paddedWidth()];
        float[] wT = chroma == null ? null : chroma.frameWeights(tuning);
        for (int t = 0; t < frames; t++) {
            stft.powerFrame(y, t, buf, pow);
            if (mel != null) {
                mel.applyFrame(pow, melRow);
                for (int m = 0; m < nMels; m++) md[m * frames + t] = melRow[m];
            }
            if (chroma != null) {
                chroma.applyFrame(wT, pow, chromaRow);
                for (int c = 0; c < nChroma; c++) cd[c * frames + t] = chromaRow[c];
            }
        }
        return new Result(melOut, chromaOut);
    }

    /** The reference for {@link #compute}: the power spectrogram, then each projection of it, as the stages are. */
    public Result computePlain(float[] y, double tuning) {
        Matrix power = stft.power(y);
        return new Result(mel == null ? null : mel.apply(power), chroma == null ? null : chroma.fromPower(power, tuning));
    }
}
