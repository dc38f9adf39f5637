package dev.ser.app.evaluate;

import dev.ser.app.adapt.SpeakerAdaptation;
import dev.ser.app.cli.Args;
import dev.ser.app.cli.Command;
import dev.ser.app.cli.UsageException;
import dev.ser.app.corpus.Corpora;
import dev.ser.app.corpus.Utterance;
import dev.ser.app.data.Split;
import dev.ser.app.device.DeviceOption;
import dev.ser.app.model.SerEnsemble;
import dev.ser.app.model.SerModel;
import dev.ser.app.predict.PredictCommand;
import dev.ser.app.train.Batches;
import dev.ser.app.train.Datasets;
import dev.ser.app.train.Example;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureMatrix;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code ser evaluate --model M CORPUS...}: every metric of a trained model on labelled audio. */
public final class EvaluateCommand implements Command {
    @Override public String name() { return "evaluate"; }

    @Override public String summary() { return "accuracy, per-class P/R/F1, UAR, confusion matrix, ROC-AUC of a model on a labelled corpus"; }

    @Override public String usage() {
        return """
                usage: ser evaluate --model RUN/model.safetensors[,RUN2/model.safetensors...] CORPUS_DIR... [options]

                Several models (comma-separated, or an ensemble file from `ser ensemble`) are evaluated as an
                ensemble: the mean of their class probabilities. Their features may differ; their labels may not.

                  --split-file RUN/split.json --part test   evaluate one part of a training run's split (default: every file)
                  --corpus NAME  --labels a,b  --merge calm=neutral   as for ser train
                  --out DIR      write DIR/evaluation.json, .txt, -confusion.png and -roc.png (the text is always printed)
                  --json         print the JSON instead of the table
                  --cache DIR    feature cache
                  --device cpu|cuda|auto|emulated   where the model runs (default cpu)
                  --tta 0.9,1.0,1.1   test-time speeds, as ser predict (default: the model file's; --tta 1: none)
                  --adapt im|entropy|none   adapt each model to each speaker's unlabelled clips before predicting
                                      them: a per-feature scale and shift of the input fitted to minimize SHOT's
                                      information maximization or the predictions' entropy (Tent); default: the
                                      model file's (the bundled speaker model's: im); none: the model as trained

                Features are computed with the model's own saved config and normalized with its saved statistics.
                Metrics follow scikit-learn's definitions; the valence ROC-AUC groups happy, calm, surprised as
                positive and sad, angry, fearful, disgust, boredom as negative (neutral excluded).""";
    }

    @Override public int run(Args args) throws IOException {
        String modelOption = args.string("model", null);
        if (modelOption == null) throw new UsageException("--model is required (the model.safetensors of a training run)");
        List<Path> modelFiles = PredictCommand.modelPaths(modelOption);
        Path splitFile = args.path("split-file", null);
        String part = args.choice("part", "test", "train", "validation", "test");
        String corpus = args.string("corpus", null);
        String labelsOption = args.string("labels", null), merge = args.string("merge", null);
        Path out = args.path("out", null), cacheDir = args.path("cache", null);
        boolean json = args.flag("json");
        String tta = args.string("tta", null);
        String adapt = args.string("adapt", null);
        String device = args.choice("device", "cpu", "cpu", "cuda", "auto", "emulated");
        args.finish();
        List<Path> roots = args.positional().stream().map(Path::of).toList();
        if (roots.isEmpty()) throw new UsageException("give the corpus folder(s) to evaluate on");
        SerEnsemble ensemble = PredictCommand.withAdaptation(PredictCommand.withSpeeds(PredictCommand.loadModels(modelFiles), tta), adapt);
        SpeakerAdaptation.Settings adaptation = ensemble.adaptation() == null ? null : SpeakerAdaptation.Settings.of(ensemble.adaptation());
        List<SerModel> models = ensemble.members();
        double[] speeds = ensemble.speeds();
        SerModel first = models.getFirst();
        Backend backend = DeviceOption.open(device);
        for (SerModel m : models) m.classifier().moveTo(backend);

        Corpora corpora = Datasets.scan(roots, corpus == null ? List.of() : List.of(corpus.split(",")));
        List<Utterance> utterances = Datasets.applyLabels(corpora, labelsOption, merge);
        if (splitFile != null) {
            Split split;
            try {
                split = Split.fromJson(Files.readString(splitFile), utterances);
            } catch (IllegalArgumentException e) {
                throw new UsageException(splitFile + ": " + e.getMessage());
            }
            utterances = switch (part) {
                case "train" -> split.train();
                case "validation" -> split.validation();
                default -> split.test();
            };
        }
        Set<String> unknown = new LinkedHashSet<>();
        for (Utterance u : utterances) if (!first.labels().contains(u.label())) unknown.add(u.label());
        if (!unknown.isEmpty())
            throw new UsageException("the corpus has labels the model does not know: " + unknown + " (the model's labels: " + first.labels()
                    + "); keep only known ones with --labels, or map them with --merge");

        // Each model gets the features of its own saved config and statistics, at every test-time speed; an
        // ensemble averages the probabilities over speeds and models.
        List<Example> examples = null;
        float[][] probabilities = null;
        List<Utterance> clips = utterances;
        // Members usually share a feature config: compute each (config, speed)'s features once, not once a member.
        Map<FeatureConfig, Map<Utterance, FeatureMatrix>> asIs = new java.util.HashMap<>();
        Map<Map.Entry<FeatureConfig, Double>, Map<Utterance, FeatureMatrix>> spedUp = new java.util.HashMap<>();
        for (SerModel model : models) {
            FeatureConfig config = model.featureConfig();
            Map<Utterance, FeatureMatrix> features = asIs.computeIfAbsent(config, c -> Datasets.features(clips, c, cacheDir, corpora.report()));
            for (double speed : speeds) {
                Map<Utterance, FeatureMatrix> heard = spedUp.computeIfAbsent(Map.entry(config, speed), k -> SpedUpFeatures.of(features, config, speed));
                List<Example> mine = Datasets.examples(utterances, heard, model.normalization(), model.stats(), model.labels(), model.maxFrames());
                if (mine.isEmpty()) throw new UsageException("no clip could be evaluated; see the messages above");
                if (adaptation != null) mine = adapted(model, mine, clips, adaptation, models.indexOf(model) + 1, speed);
                float[][] p = Batches.probabilities(model.classifier(), mine, 32);
                if (examples == null) {
                    examples = mine;
                    probabilities = p;
                } else {
                    if (!mine.stream().map(Example::id).toList().equals(examples.stream().map(Example::id).toList()))
                        throw new UsageException("the ensemble's models could not all compute features of the same clips; see the messages above");
                    probabilities = Ensemble.add(probabilities, p);
                }
            }
        }
        probabilities = Ensemble.scale(probabilities, 1.0 / (models.size() * speeds.length));
        Evaluation e = Evaluation.of(examples.stream().map(Example::id).toList(), examples.stream().mapToInt(Example::label).toArray(),
                probabilities, first.labels());
        String names = modelFiles.size() == 1 ? modelFiles.getFirst().getFileName().toString() : "the mean of " + modelOption;
        String title = "Evaluation of " + names + " on " + roots + (splitFile != null ? " (" + part + " part of " + splitFile + ")" : "");
        String text = out != null ? e.write(Files.createDirectories(out), "evaluation", title) : e.toText();
        System.out.println(json ? Json.writePretty(e.toJson()) : text);
        return 0;
    }

    /** Each speaker's clips, heard at {@code speed}, adapted to with {@link SpeakerAdaptation}; the examples keep their order. */
    private static List<Example> adapted(SerModel model, List<Example> examples, List<Utterance> utterances, SpeakerAdaptation.Settings settings,
                                         int member, double speed) {
        Map<String, String> speakerOf = new java.util.HashMap<>();
        for (Utterance u : utterances) speakerOf.put(u.id(), u.speaker());
        List<String> groups = examples.stream().map(e -> speakerOf.get(e.id())).toList();
        return SpeakerAdaptation.adaptGroups(model.classifier(), examples, groups, settings,
                line -> System.err.printf(java.util.Locale.ROOT, "model %d, speed %s: %s%n", member, speed, line));
    }
}
