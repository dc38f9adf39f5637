package dev.ser.app.predict;

import dev.ser.app.adapt.SpeakerAdaptation;
import dev.ser.app.model.SerEnsemble;
import dev.ser.app.model.SerModel;
import dev.ser.audio.io.Audio;
import dev.ser.audio.io.WavReader;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureMatrix;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.audio.pipeline.PaddedFeatures;
import dev.ser.app.train.Batches;
import dev.ser.app.train.Example;
import dev.ser.app.train.WaveAugment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Emotion of a clip from a {@link SerModel}, or from the members of a {@link SerEnsemble} (the mean of their
 * probabilities): decode, resample to the model's rate, features, each model's normalization, its classifier,
 * softmax.
 *
 * <p><b>No model/feature mismatch is possible by construction:</b> the feature extractor is built from the
 * feature config saved inside the model file ({@link SerModel#featureConfig()}), the same config its
 * normalization statistics were computed with; there is no option to pass another one. An ensemble's members
 * share the feature config ({@link SerEnsemble#requireSharedFeatures()}); each applies its own statistics.
 *
 * <p><b>Clips longer than the model's maxFrames</b> are not cut: the clip's feature matrix (computed once,
 * on the whole clip, exactly as training computed it before cutting) is split into consecutive windows of
 * maxFrames frames, the last one aligned to the clip's end so every window is full and every frame is seen,
 * and the windows' probabilities are averaged. {@link Prediction#windows()} says how many. A clip that fits
 * is one window, padded as in training, so a clip of training length gets exactly what training computed.
 *
 * <p><b>Clips with nothing to classify</b> are refused with a {@link PredictionException} naming the file:
 * the loudest 100 ms below {@link #SILENCE_FLOOR_DBFS} RMS (digital silence, a muted channel, a wrong gain), or fewer frames
 * than the MFCC deltas' width.
 *
 * <p>Thread-safe after construction: the extractor is thread-safe, and the classifier's forward pass runs
 * under a lock (its weights are shared; inference is cheap next to feature extraction). {@link #predictAll}
 * extracts on a fixed pool of {@code threads} and runs the classifier in batches of {@link #BATCH_SIZE}
 * windows; a file's answer in a batch equals its answer alone within a float ulp (the engine's kernels may
 * round a row differently for another batch size). Close it to stop the pool.
 */
public final class Predictor implements AutoCloseable {
    public static final int BATCH_SIZE = 32;

    /**
     * -60 dBFS RMS over the clip's loudest 100 ms: below any voice (spoken speech sits around -40 to -20 dBFS;
     * RAVDESS's softest clips, whispered calm lines of actor 20, peak at -53 to -56 dBFS over 100 ms although their
     * whole-clip RMS, pauses included, is -62), above digital silence and 16-bit dither (about -100 dBFS). The
     * loudest stretch, not the whole clip, so that long pauses around soft speech do not make it "silent".
     */
    public static final double SILENCE_FLOOR_DBFS = -60.0;

    /** The stretch {@link #loudestDbfs} measures, in seconds. */
    static final double LOUDEST_SECONDS = 0.1;

    /** Files whose features are extracted ahead of the classifier: bounds memory on a big folder. */
    private static final int FILES_IN_FLIGHT = 4 * BATCH_SIZE;

    private final SerEnsemble ensemble;
    private final double[] speeds;
    private final FeatureExtractor extractor;
    private final ExecutorService pool;
    private final Object forwardLock = new Object();
    private volatile Consumer<String> log = line -> {};

    public Predictor(SerModel model) { this(SerEnsemble.of(model)); }

    public Predictor(SerModel model, int threads) { this(SerEnsemble.of(model), threads); }

    public Predictor(SerEnsemble ensemble) { this(ensemble, Runtime.getRuntime().availableProcessors()); }

    /**
     * With the ensemble's test-time speeds ({@link SerEnsemble#speeds}): the clip is also heard sped up by each
     * factor (as training's speed perturbation does it, {@link WaveAugment#speed}) and the versions'
     * probabilities averaged.
     */
    public Predictor(SerEnsemble ensemble, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1; found " + threads);
        this.speeds = ensemble.speeds();
        this.ensemble = ensemble.requireSharedFeatures();
        for (SerModel m : ensemble.members()) m.classifier().train(false);
        this.extractor = new FeatureExtractor(ensemble.featureConfig());
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "predict-features");
            t.setDaemon(true); // a CLI that exits must not wait on idle workers
            return t;
        });
    }

    public SerEnsemble ensemble() { return ensemble; }

    /** Where progress lines go (adapting to a speaker takes seconds a member); by default nowhere. */
    public Predictor logTo(Consumer<String> log) {
        this.log = log;
        return this;
    }

    public FeatureConfig featureConfig() { return extractor.config(); }

    public int sampleRate() { return extractor.config().sr(); }

    /** One WAV file. */
    public Prediction predict(Path wav) throws PredictionException {
        return predictAll(List.of(wav)).getFirst().orThrow();
    }

    /** A decoded clip at any rate, called {@code name} in messages. */
    public Prediction predict(Audio audio, String name) throws PredictionException {
        return predictSamples(extractor.toModelRate(audio), name);
    }

    public Prediction predict(Audio audio) throws PredictionException { return predict(audio, "<audio>"); }

    /** Mono samples already at the model's rate ({@link #sampleRate()}). */
    public Prediction predictSamples(float[] y, String name) throws PredictionException {
        Clip clip = prepare(y, name);
        return finish(clip, forward(clip.windows(), alone(clip.windows()), null), 0);
    }

    /**
     * The same, for the next clip of a speaker heard so far ({@code speaker}): the clip's features join the speaker's
     * running statistics, and a model trained with speaker-level normalization standardizes the clip over all of the
     * speaker's clips up to and including this one (each test-time speed apart, as training grouped them). That is
     * what {@link #predictAll(List, List)} gives the last of those clips as one speaker; the first clip is normalized
     * over itself. A clip that fails (silent, too short) adds nothing. Other models ignore the speaker. The ensemble's
     * adaptation to the speaker ({@link SerEnsemble#adaptation}) is not applied here.
     */
    public Prediction predictSamples(float[] y, String name, RunningSpeaker speaker) throws PredictionException {
        requireOwn(speaker);
        Clip clip = prepare(y, name);
        List<FeatureStats> statistics = speaker.add(clip);
        List<PaddedFeatures> rows = clip.windows();
        return finish(clip, forward(rows, member -> {
            List<PaddedFeatures> out = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) out.add(member.normalize(rows.get(i), statistics.get(i)));
            return out;
        }, null), 0); // not adapted: fitting to all of the speaker's clips again at every clip would cost seconds a clip
    }

    /**
     * Adds a clip to the speaker's statistics without classifying it: for a clip that another model answers for
     * (a speaker's first clip, which a speaker-normalized model would normalize over itself alone). Throws, and
     * adds nothing, where {@link #predictSamples(float[], String, RunningSpeaker)} would.
     */
    public void listen(float[] y, String name, RunningSpeaker speaker) throws PredictionException {
        requireOwn(speaker);
        speaker.add(prepare(y, name));
    }

    /**
     * A speaker's features so far, one set of running statistics per test-time speed: what speaker-level
     * normalization needs from a stream without keeping its windows (a stream may run for hours). One stream's:
     * not for concurrent use.
     */
    public final class RunningSpeaker {
        private final FeatureStats.Accumulator[] bySpeed = new FeatureStats.Accumulator[speeds.length];

        private RunningSpeaker() {
            for (int v = 0; v < speeds.length; v++) bySpeed[v] = new FeatureStats.Accumulator(extractor.config());
        }

        private Predictor owner() { return Predictor.this; }

        /** Adds the clip's windows; returns, row by row, the statistics of its version's windows so far. */
        private List<FeatureStats> add(Clip clip) {
            List<FeatureStats> out = new ArrayList<>(clip.windows().size());
            int row = 0;
            for (int v = 0; v < speeds.length; v++) {
                for (int w = 0; w < clip.versions()[v]; w++) bySpeed[v].add(clip.windows().get(row + w));
                FeatureStats so = bySpeed[v].finish();
                for (int w = 0; w < clip.versions()[v]; w++) out.add(so);
                row += clip.versions()[v];
            }
            return out;
        }
    }

    /** A speaker's statistics are per test-time speed and feature config: only the predictor that started it may use them. */
    private void requireOwn(RunningSpeaker speaker) {
        if (speaker.owner() != this) throw new IllegalArgumentException("the speaker was started by another Predictor (other test-time speeds)");
    }

    /** A new speaker, for {@link #predictSamples(float[], String, RunningSpeaker)}. */
    public RunningSpeaker newSpeaker() { return new RunningSpeaker(); }

    /** The outcome for one file of a batch. */
    public sealed interface Outcome {
        Path file();

        Prediction orThrow() throws PredictionException;

        record Ok(Path file, Prediction prediction) implements Outcome {
            @Override public Prediction orThrow() { return prediction; }
        }

        record Failed(Path file, PredictionException error) implements Outcome {
            @Override public Prediction orThrow() throws PredictionException { throw error; }
        }
    }

    /**
     * Many files: features on the pool, the classifier in batches of {@link #BATCH_SIZE} windows. Outcomes in
     * input order; a file that fails is an {@link Outcome.Failed} and does not stop the others.
     */
    public List<Outcome> predictAll(List<Path> files) { return predictAll(files, null); }

    /**
     * The same, with each file's speaker ({@code speakers[i]} of file i): a model trained with speaker-level
     * normalization then standardizes every clip over all of its speaker's clips here (heard at the same
     * test-time speed, as training grouped them), as `ser evaluate` does on a corpus. One speaker's files are read
     * and classified together, speaker by speaker (in order of first appearance), so memory holds the largest
     * speaker's clips, not the whole batch; outcomes stay in input order. Other models ignore the speakers.
     */
    public List<Outcome> predictAll(List<Path> files, List<String> speakers) {
        if (speakers != null && speakers.size() != files.size())
            throw new IllegalArgumentException(files.size() + " files but " + speakers.size() + " speakers");
        List<List<Integer>> groups = new ArrayList<>();
        if (speakers == null) {
            for (int from = 0; from < files.size(); from += FILES_IN_FLIGHT) {
                List<Integer> group = new ArrayList<>();
                for (int i = from; i < Math.min(files.size(), from + FILES_IN_FLIGHT); i++) group.add(i);
                groups.add(group);
            }
        } else {
            Map<String, List<Integer>> bySpeaker = new LinkedHashMap<>();
            for (int i = 0; i < files.size(); i++) bySpeaker.computeIfAbsent(speakers.get(i), k -> new ArrayList<>()).add(i);
            groups.addAll(bySpeaker.values());
        }
        Outcome[] out = new Outcome[files.size()];
        for (List<Integer> group : groups) predictGroup(files, speakers, group, out);
        return List.of(out);
    }

    /** Files {@code group} (indices into files) extracted on the pool and classified together, into {@code out}. */
    private void predictGroup(List<Path> files, List<String> speakers, List<Integer> group, Outcome[] out) {
        List<Future<Clip>> futures = new ArrayList<>(group.size());
        for (int i : group) futures.add(pool.submit(() -> prepare(files.get(i))));
        List<Clip> clips = new ArrayList<>();
        List<PaddedFeatures> rows = new ArrayList<>();
        List<String> rowSpeakers = speakers == null ? null : new ArrayList<>();
        PredictionException[] errors = new PredictionException[group.size()];
        for (int g = 0; g < group.size(); g++) {
            try {
                Clip c = await(futures.get(g));
                clips.add(c);
                rows.addAll(c.windows());
                if (rowSpeakers != null)
                    for (int v = 0; v < c.versions().length; v++)
                        for (int w = 0; w < c.versions()[v]; w++) rowSpeakers.add(speakers.get(group.get(g)) + " x" + speeds[v]);
            } catch (PredictionException e) {
                errors[g] = e;
                clips.add(null);
            }
        }
        double[][] probabilities = forward(rows, rowSpeakers == null ? alone(rows) : member -> member.normalize(rows, rowSpeakers), rowSpeakers);
        int row = 0;
        for (int g = 0; g < group.size(); g++) {
            Clip c = clips.get(g);
            Path file = files.get(group.get(g));
            if (c == null) {
                out[group.get(g)] = new Outcome.Failed(file, errors[g]);
            } else {
                out[group.get(g)] = new Outcome.Ok(file, finish(c, probabilities, row));
                row += c.windows().size();
            }
        }
    }

    @Override public void close() { pool.shutdownNow(); }

    /**
     * A clip ready for the classifiers: its windows, before normalization (each member applies its own); with
     * test-time speeds, the windows of every version one after the other, {@code versions[v]} of version v.
     */
    private record Clip(String name, List<PaddedFeatures> windows, int[] versions, int frames, double seconds) {}

    private Clip prepare(Path file) throws PredictionException {
        Audio audio;
        try {
            audio = WavReader.read(file);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
            // WavReader's messages start with the file name already; do not say it twice.
            if (why != null && why.startsWith(file + ": ")) why = why.substring(file.toString().length() + 2);
            throw new PredictionException(PredictionException.Kind.UNREADABLE, file.toString(), why, e);
        }
        return prepare(extractor.toModelRate(audio), file.toString());
    }

    private Clip prepare(float[] y, String name) throws PredictionException {
        FeatureConfig c = extractor.config();
        double seconds = (double) y.length / c.sr();
        double dbfs = loudestDbfs(y, c.sr());
        if (dbfs < SILENCE_FLOOR_DBFS)
            throw new PredictionException(PredictionException.Kind.SILENT, name, String.format(Locale.ROOT,
                    "silent: the loudest 100 ms of its %.2f s has an RMS of %s dBFS, below the %.0f dBFS floor, so there is no voice to "
                    + "classify; check the recording (muted input, wrong channel, gain far too low) or leave the file out",
                    seconds, Double.isInfinite(dbfs) ? "-inf" : String.format(Locale.ROOT, "%.1f", dbfs), SILENCE_FLOOR_DBFS), null);
        int frames = frameCount(y.length);
        int needed = c.deltas().isEmpty() ? 1 : c.deltaWidth();
        if (frames < needed)
            throw new PredictionException(PredictionException.Kind.TOO_SHORT, name, String.format(Locale.ROOT,
                    "too short: %.0f ms gives %d frames, the model's features (MFCC deltas of width %d) need at least %d "
                    + "(%.0f ms at %d Hz); give a longer recording", 1000 * seconds, frames, c.deltaWidth(), needed,
                    1000.0 * (needed - 1) * c.hopLength() / c.sr(), c.sr()), null);
        FeatureMatrix m = extractor.compute(y);
        List<PaddedFeatures> windows = new ArrayList<>();
        int[] versions = new int[speeds.length];
        for (int v = 0; v < speeds.length; v++) {
            List<PaddedFeatures> w;
            try {
                w = speeds[v] == 1.0 ? windows(m) : windows(extractor.compute(WaveAugment.speed(y, c.sr(), speeds[v])));
            } catch (IllegalArgumentException tooShortWhenSpedUp) {
                w = windows(m); // sped up below the deltas' width: the clip as it is stands in for this version
            }
            windows.addAll(w);
            versions[v] = w.size();
        }
        return new Clip(name, windows, versions, m.frames(), seconds);
    }

    /** Frames of {@code n} samples with center=True, as {@code librosa.stft} counts them. */
    private int frameCount(int n) {
        FeatureConfig c = extractor.config();
        return 1 + (n + 2 * (c.nFft() / 2) - c.nFft()) / c.hopLength();
    }

    /**
     * RMS in dBFS of the loudest {@link #LOUDEST_SECONDS} stretch (stretches every half of that), or of the whole
     * clip when it is shorter; -infinity for digital silence.
     */
    public static double loudestDbfs(float[] y, int sr) {
        int n = (int) Math.round(LOUDEST_SECONDS * sr), hop = Math.max(1, n / 2);
        if (y.length <= n) return rmsDbfs(y);
        double loudest = 0;
        for (int start = 0; start + n <= y.length; start += hop) {
            double sum = 0;
            for (int i = start; i < start + n; i++) sum += (double) y[i] * y[i];
            loudest = Math.max(loudest, sum / n);
        }
        return loudest == 0 ? Double.NEGATIVE_INFINITY : 10 * Math.log10(loudest);
    }

    /** Root mean square in dB relative to full scale (1.0); -infinity for digital silence. */
    public static double rmsDbfs(float[] y) {
        double sum = 0;
        for (float v : y) sum += (double) v * v;
        return y.length == 0 ? Double.NEGATIVE_INFINITY : 10 * Math.log10(sum / y.length);
    }

    /** Consecutive maxFrames windows, the last aligned to the end. */
    private List<PaddedFeatures> windows(FeatureMatrix m) {
        int max = ensemble.maxFrames(), f = m.frames(), w = m.width();
        List<Integer> starts = new ArrayList<>();
        if (f <= max) {
            starts.add(0);
        } else {
            for (int s = 0; s + max <= f; s += max) starts.add(s);
            if (starts.getLast() + max < f) starts.add(f - max);
        }
        List<PaddedFeatures> out = new ArrayList<>(starts.size());
        for (int s : starts) {
            int len = Math.min(max, f - s);
            float[] slice = new float[len * w];
            System.arraycopy(m.data(), s * w, slice, 0, len * w);
            out.add(PaddedFeatures.fit(new FeatureMatrix(slice, len, w, m.layout()), max));
        }
        return out;
    }

    /** Each row normalized as its own speaker (a clip alone). */
    private static Function<SerModel, List<PaddedFeatures>> alone(List<PaddedFeatures> rows) {
        return member -> rows.stream().map(member::normalize).toList();
    }

    /**
     * Softmax probabilities of every row, in batches of {@link #BATCH_SIZE}: the same inference path as training's
     * evaluation; for an ensemble, the mean over its members, each normalizing the rows its own way
     * ({@code normalized}: a member's normalization of all rows, in order). With the rows' speakers ({@code speakers},
     * each with its test-time speed; null where unknown) and an ensemble that adapts ({@link SerEnsemble#adaptation}),
     * each member first adapts to each speaker's rows.
     */
    private double[][] forward(List<PaddedFeatures> rows, Function<SerModel, List<PaddedFeatures>> normalized, List<String> speakers) {
        double[][] out = new double[rows.size()][ensemble.labels().size()];
        for (SerModel member : ensemble.members()) {
            List<PaddedFeatures> memberRows = normalized.apply(member);
            List<Example> examples = new ArrayList<>(rows.size());
            for (PaddedFeatures x : memberRows) examples.add(new Example("window", x.data(), x.validFrames(), x.width(), 0));
            float[][] p;
            synchronized (forwardLock) {
                if (speakers != null && ensemble.adaptation() != null) {
                    int k = ensemble.members().indexOf(member) + 1;
                    examples = SpeakerAdaptation.adaptGroups(member.classifier(), examples, speakers, SpeakerAdaptation.Settings.of(ensemble.adaptation()),
                            line -> log.accept("model " + k + " of " + ensemble.size() + ": " + line));
                }
                p = Batches.probabilities(member.classifier(), examples, BATCH_SIZE);
            }
            for (int i = 0; i < p.length; i++)
                for (int k = 0; k < p[i].length; k++) out[i][k] += p[i][k];
        }
        if (ensemble.size() > 1)
            for (double[] row : out)
                for (int k = 0; k < row.length; k++) row[k] /= ensemble.size();
        return out;
    }

    /**
     * The clip's windows' probabilities (rows {@code first ..}) averaged into one prediction: over each version's
     * windows, then over the versions (a slowed-down version has more windows but counts once).
     */
    private Prediction finish(Clip clip, double[][] probabilities, int first) {
        int classes = ensemble.labels().size(), row = first;
        double[] mean = new double[classes];
        for (int n : clip.versions()) {
            if (n == 1 && clip.versions().length == 1) return new Prediction(clip.name(), ensemble.labels(), probabilities[first].clone(),
                    clip.frames(), 1, clip.seconds());
            double[] version = new double[classes];
            for (int i = 0; i < n; i++)
                for (int k = 0; k < classes; k++) version[k] += probabilities[row + i][k];
            for (int k = 0; k < classes; k++) mean[k] += version[k] / n / clip.versions().length;
            row += n;
        }
        int asIs = 0; // windows() reports the clip as it is (speed 1), or the first version when 1 is not among the speeds
        for (int v = 0; v < speeds.length; v++) if (speeds[v] == 1.0) asIs = v;
        return new Prediction(clip.name(), ensemble.labels(), mean, clip.frames(), clip.versions()[asIs], clip.seconds());
    }

    private static Clip await(Future<Clip> f) throws PredictionException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while extracting features", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PredictionException p) throw p;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }
}
