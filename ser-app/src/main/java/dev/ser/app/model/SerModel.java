package dev.ser.app.model;

import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.audio.pipeline.Normalization;
import dev.ser.audio.pipeline.PaddedFeatures;
import dev.ser.engine.io.Checkpoint;
import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model as ONE file: everything prediction needs to compute exactly what training saw.
 *
 * <pre>
 *   tensors       the classifier's weights (state_dict names: lstm.*, pool.*, fc.*)
 *                 normalization.mean, normalization.var, normalization.count   (dataset statistics)
 *   __metadata__  ser.format          "ser-model/1"
 *                 ser.model_config    the classifier's hyperparameters (JSON)
 *                 ser.feature_config  the feature pipeline's config (JSON), also normalization.config
 *                 ser.labels          the class names in output order (JSON list)
 *                 ser.max_frames      frames per clip (longer clips are cut, shorter padded)
 *                 ser.normalization   "dataset" or "utterance+dataset" (see {@link #normalize})
 *                 ser.training        what it was trained on and how well it did (JSON), informational
 * </pre>
 */
public record SerModel(SequenceClassifier classifier, FeatureStats stats, boolean perUtterance, List<String> labels, int maxFrames,
                       Map<String, Object> training) {
    public static final String FORMAT = "ser-model/1";
    static final String STATS_PREFIX = "normalization.";

    public SerModel {
        labels = List.copyOf(labels);
        if (labels.size() != classifier.config().numClasses())
            throw new IllegalArgumentException(labels.size() + " labels for a classifier of " + classifier.config().numClasses() + " classes");
        if (stats.config().layout().width() != classifier.config().inputSize())
            throw new IllegalArgumentException("the feature config gives " + stats.config().layout().width() + " features per frame, the classifier takes "
                    + classifier.config().inputSize());
    }

    public FeatureConfig featureConfig() { return stats.config(); }

    /**
     * What training did to a clip's padded features: with {@code perUtterance}, each feature is first
     * standardized over the clip's own valid frames (cepstral mean and variance normalization: it removes a
     * speaker's and a microphone's constant offsets); then the training set's statistics (computed on
     * features treated the same way) are applied. Padded frames stay zero.
     */
    public PaddedFeatures normalize(PaddedFeatures raw) {
        return normalize(raw, perUtterance, stats);
    }

    public static PaddedFeatures normalize(PaddedFeatures raw, boolean perUtterance, FeatureStats stats) {
        return stats.apply(perUtterance ? Normalization.perUtterance(raw) : raw);
    }

    public void save(Path file) throws IOException {
        SafeTensors.Writer w = Checkpoint.writer(classifier, null, null, null);
        stats.writeTo(w, STATS_PREFIX);
        w.metadata("ser.format", FORMAT)
                .metadata("ser.model_config", Json.write(classifier.config().toJson()))
                .metadata("ser.feature_config", stats.config().toJson())
                .metadata("ser.labels", Json.write(labels))
                .metadata("ser.max_frames", Integer.toString(maxFrames))
                .metadata("ser.normalization", perUtterance ? "utterance+dataset" : "dataset")
                .metadata("ser.training", Json.write(training == null ? Map.of() : training));
        w.write(file);
    }

    public static SerModel load(Path file) throws IOException {
        SafeTensors st;
        try {
            st = SafeTensors.read(file);
        } catch (IOException e) {
            throw new IOException("cannot read the model " + file + ": " + e.getMessage(), e);
        }
        return fromSafeTensors(st, file.toString());
    }

    public static SerModel load(InputStream in, String name) throws IOException {
        return fromSafeTensors(SafeTensors.parse(in.readAllBytes(), Path.of(name)), name);
    }

    static SerModel fromSafeTensors(SafeTensors st, String name) {
        Map<String, String> meta = st.metadata();
        String format = meta.get("ser.format");
        if (!FORMAT.equals(format))
            throw new IllegalArgumentException(name + " is not a ser model file (ser.format is " + (format == null ? "absent" : "'" + format + "'")
                    + ", expected '" + FORMAT + "'): give the model.safetensors that `ser train` wrote into its run folder");
        SequenceClassifier.Config config = SequenceClassifier.Config.fromJson(Json.parseObject(meta.get("ser.model_config")));
        SequenceClassifier classifier = new SequenceClassifier(config, DType.F32, 0);
        Checkpoint.loadWeights(st, classifier, List.of(STATS_PREFIX));
        classifier.train(false);
        FeatureStats stats = FeatureStats.readFrom(st, STATS_PREFIX);
        List<String> labels = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(meta.get("ser.labels"))) labels.add(String.valueOf(o));
        Map<String, Object> training = meta.containsKey("ser.training") ? Json.parseObject(meta.get("ser.training")) : new LinkedHashMap<>();
        String normalization = meta.getOrDefault("ser.normalization", "dataset");
        if (!normalization.equals("dataset") && !normalization.equals("utterance+dataset"))
            throw new IllegalArgumentException(name + ": unknown ser.normalization '" + normalization + "' (a newer version's model?)");
        return new SerModel(classifier, stats, normalization.equals("utterance+dataset"), labels, Integer.parseInt(meta.get("ser.max_frames")), training);
    }
}
