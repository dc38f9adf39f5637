package dev.ser.app.model;

import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.audio.pipeline.Normalization;
import dev.ser.audio.pipeline.PaddedFeatures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What is done to a clip's padded features before the classifier sees them; the last step is always the
 * training set's statistics ({@link FeatureStats}, saved in the model), computed on features treated the same way.
 *
 * <ul>
 *   <li>{@link #DATASET}: the training set's statistics only.</li>
 *   <li>{@link #UTTERANCE}: each feature first standardized over the clip's own valid frames (cepstral mean and
 *       variance normalization). Removes the speaker's and the microphone's constant offsets, and with them
 *       the clip's overall level and spread: an angry clip and a calm one end up equally loud.</li>
 *   <li>{@link #SPEAKER}: each feature first standardized over all valid frames of all clips of the same speaker
 *       (speaker-level normalization, Busso et al., 2011, "Iterative feature normalization scheme for automatic
 *       emotion detection from speech"). Removes the speaker's voice as utterance normalization does, but keeps
 *       how a clip differs from that speaker's other clips: louder, higher, faster. It needs several clips of
 *       each speaker, <b>unlabelled</b>: at test time the test speaker's own clips. A clip alone is its own
 *       speaker, which is utterance normalization.</li>
 * </ul>
 */
public enum FeatureNormalization {
    DATASET("dataset", "dataset"),
    UTTERANCE("utterance", "utterance+dataset"),
    SPEAKER("speaker", "speaker+dataset");

    /** As {@code ser train --normalize} spells it. */
    public final String option;
    /** As a model file's {@code ser.normalization} metadata spells it. */
    public final String metadata;

    FeatureNormalization(String option, String metadata) {
        this.option = option;
        this.metadata = metadata;
    }

    public static FeatureNormalization ofOption(String option) {
        for (FeatureNormalization n : values()) if (n.option.equals(option)) return n;
        throw new IllegalArgumentException("--normalize must be dataset, utterance or speaker; got '" + option + "'");
    }

    public static FeatureNormalization ofMetadata(String metadata) {
        for (FeatureNormalization n : values()) if (n.metadata.equals(metadata)) return n;
        throw new IllegalArgumentException("unknown ser.normalization '" + metadata + "' (a newer version's model?)");
    }

    /**
     * The first step, before the dataset statistics, for clips grouped by speaker ({@code groups[i]} names clip
     * i's group; ignored unless {@link #SPEAKER}). Returns new objects; padded frames stay 0.
     */
    public List<PaddedFeatures> standardize(List<PaddedFeatures> raw, List<String> groups, FeatureConfig config) {
        return switch (this) {
            case DATASET -> List.copyOf(raw);
            case UTTERANCE -> raw.stream().map(Normalization::perUtterance).toList();
            case SPEAKER -> byGroup(raw, groups, config);
        };
    }

    /** {@link #standardize} then the dataset statistics. */
    public List<PaddedFeatures> apply(List<PaddedFeatures> raw, List<String> groups, FeatureStats stats) {
        return standardize(raw, groups, stats.config()).stream().map(stats::apply).toList();
    }

    /** One clip alone (its own speaker). */
    public PaddedFeatures apply(PaddedFeatures raw, FeatureStats stats) {
        return apply(List.of(raw), List.of(""), stats).getFirst();
    }

    /**
     * One clip of a speaker whose statistics are already known ({@code speaker}: a stream's running statistics,
     * {@code ser predict --stream --speakers one}), then the dataset statistics; other normalizations ignore
     * {@code speaker}. With the statistics {@link #standardize} would compute for the clip's group, the same result.
     */
    public PaddedFeatures apply(PaddedFeatures raw, FeatureStats speaker, FeatureStats stats) {
        return this == SPEAKER ? stats.apply(speaker.apply(raw)) : apply(raw, stats);
    }

    private static List<PaddedFeatures> byGroup(List<PaddedFeatures> raw, List<String> groups, FeatureConfig config) {
        if (groups.size() != raw.size()) throw new IllegalArgumentException(raw.size() + " clips but " + groups.size() + " speaker names");
        Map<String, FeatureStats.Accumulator> acc = new LinkedHashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            acc.computeIfAbsent(Objects.requireNonNull(groups.get(i)), g -> new FeatureStats.Accumulator(config)).add(raw.get(i));
        }
        Map<String, FeatureStats> stats = new LinkedHashMap<>();
        acc.forEach((g, a) -> stats.put(g, a.count() == 0 ? null : a.finish()));
        List<PaddedFeatures> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            FeatureStats s = stats.get(groups.get(i));
            out.add(s == null ? raw.get(i) : s.apply(raw.get(i))); // a speaker with no valid frame: nothing to scale
        }
        return out;
    }
}
