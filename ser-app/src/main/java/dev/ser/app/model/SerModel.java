package dev.ser.app.model;

import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureStats;
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
 *                 ser.normalization   "dataset", "utterance+dataset" or "speaker+dataset" ({@link FeatureNormalization})
 *                 ser.training        what it was trained on and how well it did (JSON), informational
 * </pre>
 */
public record SerModel(SequenceClassifier classifier, FeatureStats stats, FeatureNormalization normalization, List<String> labels, int maxFrames,
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
     * What training did to one clip's padded features ({@link FeatureNormalization}); a speaker-normalized
     * model's clip is its own speaker here; {@link #normalize(List, List)} groups clips by speaker.
     */
    public PaddedFeatures normalize(PaddedFeatures raw) {
        return normalization.apply(raw, stats);
    }

    /** Clips of known speakers ({@code speakers[i]} is clip i's), as training normalized them. */
    public List<PaddedFeatures> normalize(List<PaddedFeatures> raw, List<String> speakers) {
        return normalization.apply(raw, speakers, stats);
    }

    /** A clip of a speaker whose statistics are known (a stream's so far), as training normalized its clips. */
    public PaddedFeatures normalize(PaddedFeatures raw, FeatureStats speaker) {
        return normalization.apply(raw, speaker, stats);
    }

    public void save(Path file) throws IOException {
        writer().write(file);
    }

    /** The file's contents, to write or to put into an ensemble's file ({@link SerEnsemble}). */
    public SafeTensors.Writer writer() {
        SafeTensors.Writer w = Checkpoint.writer(classifier, null, null, null);
        stats.writeTo(w, STATS_PREFIX);
        w.metadata("ser.format", FORMAT)
                .metadata("ser.model_config", Json.write(classifier.config().toJson()))
                .metadata("ser.feature_config", stats.config().toJson())
                .metadata("ser.labels", Json.write(labels))
                .metadata("ser.max_frames", Integer.toString(maxFrames))
                .metadata("ser.normalization", normalization.metadata)
                .metadata("ser.training", Json.write(training == null ? Map.of() : training));
        return w;
    }

    public static SerModel load(Path file) throws IOException {
        return fromSafeTensors(read(file), file.toString());
    }

    /** A model or ensemble file's contents; an unreadable file's error names it as a model. */
    static SafeTensors read(Path file) throws IOException {
        try {
            return SafeTensors.read(file);
        } catch (IOException e) {
            throw new IOException("cannot read the model " + file + ": " + e.getMessage(), e);
        }
    }

    public static SerModel load(InputStream in, String name) throws IOException {
        return fromSafeTensors(SafeTensors.parse(in.readAllBytes(), Path.of(name)), name);
    }

    static SerModel fromSafeTensors(SafeTensors st, String name) {
        Map<String, String> meta = st.metadata();
        String format = meta.get("ser.format");
        if (SerEnsemble.FORMAT.equals(format))
            throw new IllegalArgumentException(name + " is an ensemble of models (" + format + "): load it with SerEnsemble.load");
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
        FeatureNormalization normalization;
        try {
            normalization = FeatureNormalization.ofMetadata(meta.getOrDefault("ser.normalization", "dataset"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        return new SerModel(classifier, stats, normalization, labels, Integer.parseInt(meta.get("ser.max_frames")), training);
    }
}
