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
import dev.ser.audio.pipeline.FeatureStats;
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
public record Datasets(Split split, List<String> labels, FeatureStats stats, List<Example> train, List<Example> validation,
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

    public static Datasets load(Source source, FeatureConfig config, int maxFrames, Path cacheDir, Path runDir, long seed) throws IOException {
        if (maxFrames < config.deltaWidth()) throw new UsageException("--max-frames must be at least " + config.deltaWidth());
        ScanOptions scan = ScanOptions.defaults();
        if (!source.corpus().isEmpty()) scan = scan.withCorpus(source.corpus().toArray(new String[0]));
        Corpora corpora;
        List<Utterance> utterances;
        Split split;
        try {
            corpora = CorpusScanner.scan(source.roots(), scan);
            utterances = LabelPolicy.parse(source.labels(), source.merge()).apply(corpora.utterances(), corpora.report());
            if (utterances.isEmpty())
                throw new UsageException("no usable audio in " + source.roots() + ":\n" + corpora.report().format());
            split = source.split(utterances, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        ScanReport report = corpora.report();
        System.err.print(report.format());
        AtomicFiles.writeString(runDir.resolve("split.json"), split.toJson());

        TreeSet<String> trainLabels = new TreeSet<>(Labels.ORDER);
        for (Utterance u : split.train()) trainLabels.add(u.label());
        List<String> labels = new ArrayList<>(trainLabels);
        for (List<Utterance> part : List.of(split.validation(), split.test()))
            for (Utterance u : part)
                if (!labels.contains(u.label()))
                    throw new UsageException("label '" + u.label() + "' of " + u.path() + " is not in the training part (speakers too few?); "
                            + "drop it with --labels or use more speakers");

        FeatureExtractor extractor = new FeatureExtractor(config);
        FeatureCache cache = new FeatureCache(cacheDir != null ? cacheDir : FeatureCache.defaultDir(Path.of("")), w -> System.err.println("warning: " + w));
        long start = System.nanoTime();
        ParallelExtractor.Result features = new ParallelExtractor(extractor, cache).extract(utterances, report);
        System.err.printf("features: %d clips in %.1f s (cache: %s)%n", features.utterances().size(), (System.nanoTime() - start) / 1e9, cache.stats());
        for (ParallelExtractor.Failure f : features.failures())
            System.err.println("skipped " + f.utterance().path() + ": " + f.reason() + ": " + f.message());
        AtomicFiles.writeString(runDir.resolve("scan.txt"), report.format());

        Map<Utterance, FeatureMatrix> byUtterance = new HashMap<>();
        for (int i = 0; i < features.utterances().size(); i++) byUtterance.put(features.utterances().get(i), features.features().get(i));
        FeatureStats.Accumulator acc = new FeatureStats.Accumulator(config);
        for (Utterance u : split.train()) {
            FeatureMatrix m = byUtterance.get(u);
            if (m != null) acc.add(PaddedFeatures.fit(m, maxFrames));
        }
        if (acc.count() == 0) throw new UsageException("no training clip has features; see the messages above");
        FeatureStats stats = acc.finish();
        return new Datasets(split, labels, stats, examples(split.train(), byUtterance, stats, labels, maxFrames),
                examples(split.validation(), byUtterance, stats, labels, maxFrames), examples(split.test(), byUtterance, stats, labels, maxFrames));
    }

    private static List<Example> examples(List<Utterance> part, Map<Utterance, FeatureMatrix> features, FeatureStats stats,
                                          List<String> labels, int maxFrames) {
        List<Example> out = new ArrayList<>();
        for (Utterance u : part) {
            FeatureMatrix m = features.get(u);
            if (m == null) continue; // failed to decode: already reported
            PaddedFeatures p = stats.apply(PaddedFeatures.fit(m, maxFrames));
            out.add(new Example(u.id(), p.data(), p.validFrames(), p.width(), labels.indexOf(u.label())));
        }
        return out;
    }
}
