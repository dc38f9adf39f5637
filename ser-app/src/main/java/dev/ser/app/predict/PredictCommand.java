package dev.ser.app.predict;

import dev.ser.app.adapt.SpeakerAdaptation;
import dev.ser.app.cli.Args;
import dev.ser.app.cli.Command;
import dev.ser.app.cli.UsageException;
import dev.ser.app.model.SerEnsemble;
import dev.ser.audio.io.Audio;
import dev.ser.audio.io.WavReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ser predict FILE|DIR... [--model PATH] [--format table|json|csv] [--top K]}: the emotion of each clip;
 * {@code ser predict --stream FILE|-}: the emotion along long audio, window by window. See docs/predict.md.
 */
public final class PredictCommand implements Command {
    /** Where a build that ships a model keeps it (ser-app/src/main/resources/dev/ser/app/bundled/). */
    public static final String BUNDLED_MODEL = "/dev/ser/app/bundled/model.safetensors";
    /** The bundled models trained with speaker-level normalization, for {@code --speakers} (docs/results.md). */
    public static final String BUNDLED_SPEAKER_MODEL = "/dev/ser/app/bundled/speaker-model.safetensors";
    static final String NO_BUNDLED_MODEL = "no bundled model in this build: train one with `ser train` and pass --model run/model.safetensors";

    private final InputStream stdin;
    private final PrintStream out, err;
    private final String bundledResource;

    public PredictCommand() { this(System.in, System.out, System.err, BUNDLED_MODEL); }

    /** For tests: other streams, and another resource name for the bundled model. */
    PredictCommand(InputStream stdin, PrintStream out, PrintStream err, String bundledResource) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.bundledResource = bundledResource;
    }

    @Override public String name() { return "predict"; }

    @Override public String summary() { return "emotion of WAV files (or, with --stream, along long audio)"; }

    @Override public String usage() {
        return """
                usage: ser predict FILE|DIR... [--model PATH] [--format table|json|csv] [--top K]
                       ser predict --stream FILE|- [--window SECONDS] [--hop SECONDS] [--format table|jsonl|csv]
                                   [--speakers one]
                                   [--rate R --channels C --encoding s16le|s24le|s32le|f32le]   (raw PCM on stdin)

                The emotion of each clip: label, confidence and every class's probability. A DIR is searched
                recursively for .wav files. Clips longer than the model's window are split into windows and the
                probabilities averaged. Files that cannot be read (or are silent, or too short) are listed with
                the reason, and the exit status is 1; the others are still printed. When a file name follows a
                corpus convention (RAVDESS 03-01-05-...: 05 = angry) the table shows the true label too.

                  --model PATH      a model.safetensors written by `ser train` (default: the bundled model), or
                                    several, comma-separated, or an ensemble file (`ser ensemble`): the mean of
                                    their probabilities
                  --format F        table (default), json (a list of objects), csv; with --stream: table, jsonl, csv
                  --top K           show the K most probable classes instead of all
                  --speakers one|corpus   group the files by speaker (one: all inputs are one speaker; corpus: from
                                    corpus file names): a model trained with --normalize speaker standardizes
                                    each clip over all of its speaker's clips (unlabelled), which is more
                                    accurate with several clips of each speaker (docs/results.md). Without
                                    --model: the bundled speaker-normalized ensemble, and the bundled default
                                    model for a speaker's only clip (alone, a clip does better clip by clip)
                  --tta 0.9,1.0,1.1 test-time augmentation: also hear each clip (window) sped up by these factors
                                    (training's speed perturbation) and average the versions' probabilities;
                                    default: the model file's (the bundled model's: 0.9,1.0,1.1); --tta 1: none
                  --adapt im|entropy|none   with --speakers, first adapt each model to each speaker's clips (a
                                    per-feature scale and shift of the input fitted without labels; docs/app.md);
                                    default: the model file's (the bundled speaker model's: im); none: as trained

                --stream: one prediction per sliding window of a long recording, printed as soon as the window is
                complete. '-' reads standard input: a WAV stream (recognized by its RIFF header) or raw PCM.
                  --window SECONDS  window length (default: the model's maxFrames, e.g. 2.39 s for 240 frames)
                  --hop SECONDS     step between windows (default 0.5)
                  --rate R          raw PCM's sample rate (required for raw PCM)
                  --channels C      raw PCM's interleaved channels, averaged to mono (default 1)
                  --encoding E      raw PCM's sample format (default s16le)
                  --speakers one    the stream is one speaker: with a speaker-normalized model (default: the
                                    bundled one), each window is standardized over that window and every earlier
                                    one, so the answers improve as the voice is heard longer (docs/app.md); with
                                    the bundled one, the bundled default model answers for the first window

                examples:
                  ser predict clip.wav --model run/model.safetensors
                  ser predict data/ravdess --format csv > predictions.csv
                  ser predict --stream talk.wav --hop 1 --format jsonl
                  arecord -q -f S16_LE -r 16000 -c 1 | ser predict --stream - --rate 16000
                """;
    }

    @Override public int run(Args args) throws Exception {
        String modelPath = args.string("model", null);
        boolean stream = args.flag("stream");
        String format = stream ? args.choice("format", "table", "table", "jsonl", "csv")
                : args.choice("format", "table", "table", "json", "csv");
        int top = args.integer("top", 0);
        String tta = args.string("tta", null);
        String adapt = args.string("adapt", null);
        String speakersMode = args.string("speakers", null);
        if (speakersMode != null && !speakersMode.equals("one") && !speakersMode.equals("corpus"))
            throw new UsageException("--speakers must be one (every input is the same speaker) or corpus (speakers from corpus file "
                    + "names, e.g. RAVDESS's actor field); got '" + speakersMode + "'");
        if ("corpus".equals(speakersMode) && stream)
            throw new UsageException("--speakers corpus takes speakers from corpus file names; a stream is one source: give --speakers one "
                    + "(the stream is one speaker) or leave it out");
        if (top < 0) throw new UsageException("--top must be >= 1 (or left out for every class); got " + top);
        List<String> sources = args.positional();
        if (sources.isEmpty()) throw new UsageException("give the WAV files or folders to predict (or - with --stream); see ser help predict");
        if (stream && adapt != null && !adapt.equals("none"))
            throw new UsageException("--adapt does not apply to --stream: a stream is predicted window by window as it comes, and adapting "
                    + "to all of the voice heard so far at every window would take seconds a window; leave --adapt out");
        if (stream) return stream(args, sources, modelPath, format, top, tta, speakersMode != null);
        for (String o : List.of("window", "hop", "rate", "channels", "encoding"))
            if (args.has(o)) throw new UsageException("--" + o + " belongs to --stream; add --stream or leave it out");
        args.finish();

        List<Path> files = new ArrayList<>();
        boolean fromStdin = false;
        for (String s : sources) {
            if (s.equals("-")) fromStdin = true;
            else files.addAll(expand(Path.of(s)));
        }
        SerEnsemble model = withAdaptation(withSpeeds(speakersMode == null ? loadModel(modelPath) : loadSpeakerModel(modelPath), tta), adapt);
        if (adapt != null && !adapt.equals("none") && speakersMode == null)
            throw new UsageException("--adapt adapts to each speaker's clips: give --speakers one or --speakers corpus as well");
        if (speakersMode == null) noteSpeakerNormalization(model);
        List<String> speakers = speakersMode == null ? null : speakers(files, speakersMode);
        List<Integer> onlyClips = speakers == null ? List.of() : onlyClipsOfTheirSpeaker(speakers);
        // the clip-level model is loaded only where it will answer: stdin, or a speaker's only clip
        SerEnsemble alone = speakersMode != null && (fromStdin || !onlyClips.isEmpty()) ? clipLevelModel(modelPath, tta) : null;
        try (Predictor predictor = new Predictor(model).logTo(line -> err.println("ser predict: " + line)); Predictor clipByClip = alone == null ? null : new Predictor(alone)) {
            List<Predictor.Outcome> outcomes = new ArrayList<>();
            if (fromStdin) outcomes.add(predictStdin(clipByClip == null ? predictor : clipByClip));
            outcomes.addAll(predictAll(predictor, clipByClip, files, speakers, onlyClips));
            new PredictionReport(model.labels(), top).write(outcomes, format, out);
            long failed = outcomes.stream().filter(o -> o instanceof Predictor.Outcome.Failed).count();
            if (failed > 0 && !format.equals("table"))
                err.println("ser predict: " + failed + " of " + outcomes.size() + " file(s) could not be predicted (see their \"error\")");
            return failed > 0 ? 1 : 0;
        }
    }

    /** A WAV clip piped in whole: {@code cat clip.wav | ser predict -}. */
    private Predictor.Outcome predictStdin(Predictor predictor) {
        Path name = Path.of("-");
        try {
            Audio audio = WavReader.read(stdin, "<stdin>");
            return new Predictor.Outcome.Ok(name, predictor.predict(audio, "<stdin>"));
        } catch (IOException e) {
            return new Predictor.Outcome.Failed(name, new PredictionException(PredictionException.Kind.UNREADABLE, "<stdin>",
                    e.getMessage() + " (without --stream, '-' reads one WAV clip; raw PCM needs --stream)", e));
        } catch (PredictionException e) {
            return new Predictor.Outcome.Failed(name, e);
        }
    }

    /**
     * With speakers, each speaker's clips normalized together; where {@code clipByClip} is given (the bundled default
     * model beside the bundled speaker model), a speaker's only clip is predicted by it instead: normalized over
     * itself alone, a clip is far worse with the speaker model (docs/results.md, "How many clips of a speaker").
     */
    private List<Predictor.Outcome> predictAll(Predictor predictor, Predictor clipByClip, List<Path> files, List<String> speakers,
                                               List<Integer> single) {
        if (speakers == null || clipByClip == null || single.isEmpty()) return predictor.predictAll(files, speakers);
        List<Integer> grouped = new ArrayList<>();
        for (int i = 0, k = 0; i < files.size(); i++)
            if (k < single.size() && single.get(k) == i) k++;
            else grouped.add(i);
        err.println("ser predict: note: " + single.size() + " file(s) are the only clip of their speaker: the default model predicts them "
                + "clip by clip (the speaker model would normalize a clip over itself alone, which is worse; docs/results.md)");
        List<Predictor.Outcome> a = predictor.predictAll(grouped.stream().map(files::get).toList(), grouped.stream().map(speakers::get).toList());
        List<Predictor.Outcome> b = clipByClip.predictAll(single.stream().map(files::get).toList());
        Predictor.Outcome[] out = new Predictor.Outcome[files.size()];
        for (int k = 0; k < grouped.size(); k++) out[grouped.get(k)] = a.get(k);
        for (int k = 0; k < single.size(); k++) out[single.get(k)] = b.get(k);
        return List.of(out);
    }

    /** The indices, in order, of the files that are the only clip of their speaker. */
    private static List<Integer> onlyClipsOfTheirSpeaker(List<String> speakers) {
        Map<String, Integer> clips = new HashMap<>();
        for (String s : speakers) clips.merge(s, 1, Integer::sum);
        List<Integer> only = new ArrayList<>();
        for (int i = 0; i < speakers.size(); i++) if (clips.get(speakers.get(i)) == 1) only.add(i);
        return only;
    }

    /** The clip-level model that answers for a speaker's only clip: the bundled default one, when --speakers uses the bundled pair. */
    private SerEnsemble clipLevelModel(String modelOption, String tta) throws IOException {
        return modelOption == null && bundledResource.equals(BUNDLED_MODEL) ? withSpeeds(loadModel(null), tta) : null;
    }

    /** --speakers one: all files one speaker; corpus: from file names, a file that follows no convention its own. */
    private List<String> speakers(List<Path> files, String mode) {
        if (mode.equals("one")) return java.util.Collections.nCopies(files.size(), "the speaker");
        List<String> out = new ArrayList<>();
        int unknown = 0;
        for (Path f : files) {
            java.util.Optional<String> s = TrueLabels.speaker(f);
            if (s.isEmpty()) unknown++;
            out.add(s.orElse("file " + f));
        }
        if (unknown > 0)
            err.println("ser predict: " + unknown + " of " + files.size() + " file(s) follow no corpus convention, so each is its own speaker "
                    + "(the only clip of its speaker); --speakers one treats all inputs as one speaker");
        return out;
    }

    /** --speakers without --model: the bundled speaker-normalized ensemble; with --model, a note if it ignores speakers. */
    private SerEnsemble loadSpeakerModel(String option) throws IOException {
        if (option == null && bundledResource.equals(BUNDLED_MODEL)) {
            try (InputStream in = PredictCommand.class.getResourceAsStream(BUNDLED_SPEAKER_MODEL)) {
                if (in == null) throw new UsageException("no bundled speaker-normalized model in this build: pass --model with one trained "
                        + "with --normalize speaker");
                return SerEnsemble.load(in, "bundled:" + BUNDLED_SPEAKER_MODEL);
            }
        }
        SerEnsemble model = loadModel(option);
        if (model.members().stream().noneMatch(m -> m.normalization() == dev.ser.app.model.FeatureNormalization.SPEAKER))
            err.println("ser predict: note: the model does not normalize by speaker (it was not trained with --normalize speaker), "
                    + "so --speakers changes nothing");
        return model;
    }

    /** Says so when a model normalizes by speaker, which prediction cannot (it knows no speakers). */
    private void noteSpeakerNormalization(SerEnsemble model) {
        if (model.members().stream().anyMatch(m -> m.normalization() == dev.ser.app.model.FeatureNormalization.SPEAKER))
            err.println("ser predict: note: the model was trained with --normalize speaker; without --speakers each clip (window) is "
                    + "normalized over itself, which the model did not see in training: give --speakers one (all inputs one speaker) or "
                    + "--speakers corpus (speakers from corpus file names)");
    }

    /** --tta 0.9,1.0,1.1 in place of the model file's test-time speeds (--tta 1: the clip as it is). */
    public static SerEnsemble withSpeeds(SerEnsemble model, String tta) {
        if (tta == null) return model;
        try {
            return model.withSpeeds(SerEnsemble.parseSpeeds(tta));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--tta: " + e.getMessage());
        }
    }

    /** --adapt entropy|im|none in place of the model file's adaptation to the speaker (none: the model as trained). */
    public static SerEnsemble withAdaptation(SerEnsemble model, String adapt) {
        if (adapt == null) return model;
        if (adapt.equals("none")) return model.withAdaptation(null);
        try {
            return model.withAdaptation(SpeakerAdaptation.Objective.ofOption(adapt));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--adapt: " + e.getMessage() + ", or none");
        }
    }

    /** A file as is; a folder's .wav files (any case), recursively, in path order. A missing path stays, to be reported. */
    static List<Path> expand(Path p) throws IOException {
        if (!Files.isDirectory(p)) return List.of(p);
        try (Stream<Path> walk = Files.walk(p)) {
            List<Path> wavs = walk.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted().toList();
            if (wavs.isEmpty()) throw new UsageException("no .wav files under " + p + ": give WAV files or a folder holding some");
            return wavs;
        }
    }

    private int stream(Args args, List<String> sources, String modelPath, String format, int top, String tta, boolean oneSpeaker)
            throws Exception {
        if (sources.size() != 1)
            throw new UsageException("--stream reads one source (a file, or - for standard input); got " + sources.size() + ": " + sources);
        String source = sources.getFirst();
        double windowArg = args.number("window", Double.NaN);
        double hop = args.number("hop", StreamPredictor.DEFAULT_HOP_SECONDS);
        if (!Double.isNaN(windowArg) && !(windowArg > 0)) throw new UsageException("--window must be > 0 seconds; got " + windowArg);
        if (!(hop > 0)) throw new UsageException("--hop must be > 0 seconds; got " + hop);
        PcmStream.RawFormat raw = null;
        if (source.equals("-")) {
            int channels = args.integer("channels", 1);
            PcmEncoding encoding;
            try {
                encoding = PcmEncoding.parse(args.string("encoding", "s16le"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--encoding: " + e.getMessage());
            }
            int rate = args.integer("rate", 0);
            if (rate < 0 || channels < 1) throw new UsageException("--rate and --channels must be positive; got " + rate + ", " + channels);
            if (rate > 0) raw = new PcmStream.RawFormat(rate, channels, encoding);
        } else {
            for (String o : List.of("rate", "channels", "encoding"))
                if (args.has(o)) throw new UsageException("--" + o + " describes raw PCM on standard input ('-'); a file's WAV header says it already");
        }
        args.finish();

        SerEnsemble model = withSpeeds(oneSpeaker ? loadSpeakerModel(modelPath) : loadModel(modelPath), tta);
        if (!oneSpeaker) noteSpeakerNormalization(model);
        SerEnsemble alone = oneSpeaker ? clipLevelModel(modelPath, tta) : null;
        try (Predictor predictor = new Predictor(model, 1); Predictor firstWindow = alone == null ? null : new Predictor(alone, 1)) {
            StreamPredictor sp;
            try {
                sp = new StreamPredictor(predictor, Double.isNaN(windowArg) ? null : windowArg, hop, oneSpeaker, firstWindow);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            TimelineWriter writer = new TimelineWriter(out, format, model.labels(), top);
            if (source.equals("-")) {
                PcmStream in = PcmStream.open(stdin, "<stdin>", raw);
                if (raw != null && in.sampleRate() != raw.sampleRate())
                    throw new UsageException("standard input is a WAV stream at " + in.sampleRate() + " Hz but --rate says " + raw.sampleRate()
                            + ": leave --rate out for WAV input (its header gives the format)");
                describe(sp, in.toString());
                sp.run(in, "<stdin>", writer);
            } else {
                Audio audio = WavReader.read(Path.of(source));
                describe(sp, source + " (" + audio.sampleRate() + " Hz, " + String.format(Locale.ROOT, "%.1f s", audio.seconds()) + ")");
                sp.run(audio, source, writer);
            }
        }
        return 0;
    }

    private void describe(StreamPredictor sp, String what) {
        err.printf(Locale.ROOT, "ser predict: windows of %.2f s every %.2f s from %s%s%n", sp.windowSeconds(), sp.hopSeconds(), what,
                !sp.oneSpeaker() ? "" : sp.firstWindowAlone()
                        ? "; one speaker: the first window clip by clip (default model), then each normalized over the windows heard so far"
                        : "; one speaker: each window normalized over the windows heard so far");
        err.flush();
    }

    /** The model(s) named by --model (comma-separated: an ensemble), else the one bundled in the jar. */
    SerEnsemble loadModel(String option) throws IOException {
        try {
            if (option != null) return loadModels(modelPaths(option)).requireSharedFeatures();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        try (InputStream in = PredictCommand.class.getResourceAsStream(bundledResource)) {
            if (in == null) throw new UsageException(NO_BUNDLED_MODEL);
            return SerEnsemble.load(in, "bundled:" + bundledResource);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** "--model a.safetensors,b.safetensors" as paths. */
    public static List<Path> modelPaths(String option) {
        List<Path> files = java.util.Arrays.stream(option.split(",")).map(String::trim).filter(m -> !m.isEmpty()).map(Path::of).toList();
        if (files.isEmpty()) throw new UsageException("--model needs a model file (or several, comma-separated)");
        return files;
    }

    /** Model or ensemble files as one ensemble; a missing file or a mismatch is the user's to fix (every command that takes models). */
    public static SerEnsemble loadModels(List<Path> files) throws IOException {
        for (Path f : files)
            if (!Files.isRegularFile(f))
                throw new UsageException("no model file " + f + ": give the model.safetensors that `ser train` wrote into its run folder");
        try {
            return SerEnsemble.load(files);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
