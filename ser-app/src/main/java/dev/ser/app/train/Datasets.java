package dev.ser.app.train;

import dev.ser.app.cli.Args;
import dev.ser.app.cli.UsageException;
import dev.ser.app.corpus.Corpora;
import dev.ser.app.corpus.CorpusScanner;
import dev.ser.app.corpus.LabelPolicy;
import dev.ser.app.corpus.Labels;
import dev.ser.app.corpus.ScanOptions;
import dev.ser.app.corpus.ScanReport;
import dev.ser.app.corpus.Utterance;
import dev.ser.app.data.FeatureCache;
import dev.ser.app.data.ParallelExtractor;
import dev.ser.app.data.Split;
import dev.ser.app.data.Splits;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureMatrix;
import dev.ser.app.model.FeatureNormalization;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.audio.io.WavReader;
import dev.ser.audio.pipeline.PaddedFeatures;
import dev.ser.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * From corpus folders to normalized training, validation and test examples: scan, label policy, split,
 * features (through the cache), dataset statistics from the training part only (so nothing of the
 * validation or test speakers leaks into the normalization), padding to maxFrames.
 */
public record Datasets(Split split, List<String> labels, FeatureStats stats, FeatureNormalization normalization, List<Example> train, List<Example> validation,
                       List<Example> test) {

    /** Where the utterances come from and how they are split; parsed from the command line. */
    public record Source(List<Path> roots, List<String> corpus, String labels, String merge, String split, double testFraction,
                         double valFraction, String testSpeakers, String valSpeakers, int folds, int fold) {
        public static Source from(Args a) {
            List<Path> roots = a.positional().stream().map(Path::of).toList();
            if (roots.isEmpty()) throw new UsageException("give one or more corpus folders (e.g. ../shared/datasets/ravdess)");
            String corpus = a.string("corpus", null);
            return new Source(roots, corpus == null ? List.of() : List.of(corpus.split(",")), a.string("labels", null),
                    a.string("merge", null), a.choice("split", "speaker", "speaker", "holdout", "kfold", "stratified"),
                    a.number("test-fraction", 0.2), a.number("val-fraction", 0.15), a.string("test-speakers", null),
                    a.string("val-speakers", null), a.integer("folds", 5), a.integer("fold", 0));
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("roots", roots.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
            m.put("corpus", corpus);
            m.put("labels", labels);
            m.put("merge", merge);
            m.put("split", split);
            switch (split) {
                case "holdout" -> {
                    m.put("test_speakers", testSpeakers);
                    m.put("val_speakers", valSpeakers);
                }
                case "kfold" -> {
                    m.put("folds", folds);
                    m.put("fold", fold);
                    m.put("val_fraction", valFraction);
                }
                default -> {
                    m.put("test_fraction", testFraction);
                    m.put("val_fraction", valFraction);
                }
            }
            return m;
        }

        Split split(List<Utterance> utterances, long seed) {
            return switch (split) {
                case "holdout" -> {
                    if (testSpeakers == null) throw new UsageException("--split holdout needs --test-speakers (e.g. ravdess:19,ravdess:20)");
                    yield Splits.holdout(utterances, list(testSpeakers), valSpeakers == null ? List.of() : list(valSpeakers));
                }
                case "kfold" -> Splits.kFold(utterances, folds, fold, valFraction, seed);
                case "stratified" -> Splits.stratified(utterances, testFraction, valFraction, seed);
                default -> Splits.bySpeakerFraction(utterances, testFraction, valFraction, seed);
            };
        }

        private static List<String> list(String csv) {
            return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    /**
     * With {@code refit} the split's validation speakers join training (split.json says so), before the statistics
     * are taken, so the normalization and the class weights cover every clip the model trains on.
     */
    public static Datasets load(Source source, FeatureConfig config, int maxFrames, FeatureNormalization normalization, Path cacheDir, Path runDir,
                                long seed, boolean refit) throws IOException {
        if (maxFrames < config.deltaWidth()) throw new UsageException("--max-frames must be at least " + config.deltaWidth());
        Corpora corpora = scan(source.roots(), source.corpus());
        List<Utterance> utterances = applyLabels(corpora, source.labels(), source.merge());
        Split split;
        try {
            split = source.split(utterances, seed);
            if (refit) split = split.withValidationInTraining();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        AtomicFiles.writeString(runDir.resolve("split.json"), split.toJson());

        TreeSet<String> trainLabels = new TreeSet<>(Labels.ORDER);
        for (Utterance u : split.train()) trainLabels.add(u.label());
        List<String> labels = new ArrayList<>(trainLabels);
        for (List<Utterance> part : List.of(split.validation(), split.test()))
            for (Utterance u : part)
                if (!labels.contains(u.label()))
                    throw new UsageException("label '" + u.label() + "' of " + u.path() + " is not in the training part (speakers too few?); "
                            + "drop it with --labels or use more speakers");

        Map<Utterance, FeatureMatrix> features = features(utterances, config, cacheDir, corpora.report());
        AtomicFiles.writeString(runDir.resolve("scan.txt"), corpora.report().format());
        FeatureStats.Accumulator acc = new FeatureStats.Accumulator(config);
        Raw train = Raw.of(split.train(), features, maxFrames);
        normalization.standardize(train.features(), train.speakers(), config).forEach(acc::add);
        if (acc.count() == 0) throw new UsageException("no training clip has features; see the messages above");
        FeatureStats stats = acc.finish();
        return new Datasets(split, labels, stats, normalization, examples(split.train(), features, normalization, stats, labels, maxFrames),
                examples(split.validation(), features, normalization, stats, labels, maxFrames),
                examples(split.test(), features, normalization, stats, labels, maxFrames));
    }

    /** The utterances of a part that have features, their features cut or padded to maxFrames, and their speakers. */
    private record Raw(List<Utterance> utterances, List<PaddedFeatures> features, List<String> speakers) {
        static Raw of(List<Utterance> part, Map<Utterance, FeatureMatrix> features, int maxFrames) {
            List<Utterance> kept = new ArrayList<>();
            List<PaddedFeatures> fitted = new ArrayList<>();
            List<String> speakers = new ArrayList<>();
            for (Utterance u : part) {
                FeatureMatrix m = features.get(u);
                if (m == null) continue; // failed to decode: already reported
                kept.add(u);
                fitted.add(PaddedFeatures.fit(m, maxFrames));
                speakers.add(u.speaker());
            }
            return new Raw(kept, fitted, speakers);
        }
    }

    /**
     * The training clips' samples at the extractor's rate, beside their examples (for waveform augmentation),
     * decoded again in parallel: a few seconds for a corpus the size of RAVDESS.
     */
    public List<WaveformTrainingSet.Clip> trainClips(FeatureExtractor extractor) {
        Map<String, Utterance> byId = new HashMap<>();
        for (Utterance u : split.train()) byId.put(u.id(), u);
        return train.parallelStream().map(e -> {
            try {
                Utterance u = byId.get(e.id());
                return new WaveformTrainingSet.Clip(extractor.toModelRate(WavReader.read(u.path())), e, u.speaker());
            } catch (IOException x) {
                throw new java.io.UncheckedIOException("could not decode " + e.id() + " again for waveform augmentation: " + x.getMessage(), x);
            }
        }).toList();
    }

    /** Scans the folders (readers detected or forced by {@code corpus}) and prints the report. */
    public static Corpora scan(List<Path> roots, List<String> corpus) {
        ScanOptions scan = ScanOptions.defaults();
        if (!corpus.isEmpty()) scan = scan.withCorpus(corpus.toArray(new String[0]));
        try {
            Corpora corpora = CorpusScanner.scan(roots, scan);
            System.err.print(corpora.report().format());
            return corpora;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** The --labels / --merge policy applied; an empty result is a usage error that shows the report. */
    public static List<Utterance> applyLabels(Corpora corpora, String labels, String merge) {
        try {
            List<Utterance> utterances = LabelPolicy.parse(labels, merge).apply(corpora.utterances(), corpora.report());
            if (utterances.isEmpty()) throw new UsageException("no usable audio:\n" + corpora.report().format());
            return utterances;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** Features of every utterance (through the cache, in parallel); failures are printed and left out. */
    public static Map<Utterance, FeatureMatrix> features(List<Utterance> utterances, FeatureConfig config, Path cacheDir, ScanReport report) {
        FeatureCache cache = new FeatureCache(cacheDir != null ? cacheDir : FeatureCache.defaultDir(Path.of("")), w -> System.err.println("warning: " + w));
        long start = System.nanoTime();
        ParallelExtractor.Result result = new ParallelExtractor(new FeatureExtractor(config), cache).extract(utterances, report);
        System.err.printf("features: %d clips in %.1f s (cache: %s)%n", result.utterances().size(), (System.nanoTime() - start) / 1e9, cache.stats());
        for (ParallelExtractor.Failure f : result.failures())
            System.err.println("skipped " + f.utterance().path() + ": " + f.reason() + ": " + f.message());
        Map<Utterance, FeatureMatrix> byUtterance = new HashMap<>();
        for (int i = 0; i < result.utterances().size(); i++) byUtterance.put(result.utterances().get(i), result.features().get(i));
        return byUtterance;
    }

    /**
     * Normalized, padded examples of {@code part} (those with features), labels indexed in {@code labels}. With
     * speaker normalization each speaker's statistics come from that speaker's clips in {@code part}: in a
     * speaker-independent split, the held-out speakers' own (unlabelled) clips.
     */
    public static List<Example> examples(List<Utterance> part, Map<Utterance, FeatureMatrix> features, FeatureNormalization normalization,
                                         FeatureStats stats, List<String> labels, int maxFrames) {
        Raw raw = Raw.of(part, features, maxFrames);
        List<PaddedFeatures> normalized = normalization.apply(raw.features(), raw.speakers(), stats);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < normalized.size(); i++) {
            Utterance u = raw.utterances().get(i);
            PaddedFeatures p = normalized.get(i);
            out.add(new Example(u.id(), p.data(), p.validFrames(), p.width(), labels.indexOf(u.label())));
        }
        return out;
    }
}
