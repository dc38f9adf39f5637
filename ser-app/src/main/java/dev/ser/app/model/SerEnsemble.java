package dev.ser.app.model;

import dev.ser.app.adapt.SpeakerAdaptation;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.engine.io.SafeTensors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Models that predict together: the ensemble's probability of a class is the mean of its members' (seeds, or
 * models whose validation speakers differ). Members trained apart make partly independent errors, so the mean
 * is better calibrated and usually more accurate than a member (Lakshminarayanan et al., 2017). Each member
 * keeps its own normalization statistics; all share the label list, and to predict from one feature extraction
 * ({@link #requireSharedFeatures}) the feature config and window length.
 *
 * <p><b>Test-time speeds</b> ({@link #speeds}): the ensemble can also hear each clip sped up by the factors
 * its members were trained with (speed perturbation) and average over the versions; {1.0} is the clip as it is.
 * The file records them so that {@code ser predict} and {@code ser evaluate} apply them by default.
 *
 * <p><b>Adaptation to the speaker</b> ({@link #adaptation}, null for none): where the clips' speakers are known
 * ({@code ser evaluate} on a corpus, {@code ser predict --speakers}), each member first fits a per-feature scale
 * and shift of its input to each speaker's clips ({@link SpeakerAdaptation}); the file records the objective so
 * that those commands apply it by default.
 *
 * <p>ONE file, like a model:
 * <pre>
 *   __metadata__  ser.format   "ser-ensemble/1"
 *                 ser.members  the number of members, N
 *                 ser.test_time_speeds  e.g. "0.9,1.0,1.1" (absent: "1.0")
 *                 ser.speaker_adaptation  "im" or "entropy" (absent: none)
 *                 member.K.*   member K's own metadata ({@link SerModel}'s ser.* keys), K = 0 .. N-1
 *   tensors       member.K.*   member K's tensors under their own names
 * </pre>
 * A plain model file loads as an ensemble of one, so every command that takes an ensemble takes a model.
 */
public record SerEnsemble(List<SerModel> members, double[] speeds, SpeakerAdaptation.Objective adaptation) {
    public static final String FORMAT = "ser-ensemble/1";
    private static final String MEMBER = "member.";
    private static final double[] AS_IS = {1.0};

    public SerEnsemble {
        members = List.copyOf(members);
        speeds = speeds.clone();
        if (speeds.length == 0) throw new IllegalArgumentException("test-time speeds: give at least one factor (1.0 = the clip as it is)");
        for (double f : speeds)
            if (!(f >= 0.5 && f <= 2.0)) throw new IllegalArgumentException("test-time speed factors must be in [0.5, 2] (e.g. 0.9,1.0,1.1); got " + f);
        if (members.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one model");
        List<String> labels = members.getFirst().labels();
        for (int k = 1; k < members.size(); k++)
            if (!members.get(k).labels().equals(labels))
                throw new IllegalArgumentException("an ensemble's models must have the same labels in the same order: model 1 has " + labels
                        + ", model " + (k + 1) + " has " + members.get(k).labels());
    }

    /** Without adaptation to the speaker. */
    public SerEnsemble(List<SerModel> members, double[] speeds) { this(members, speeds, null); }

    /** Members that hear each clip as it is. */
    public SerEnsemble(List<SerModel> members) { this(members, AS_IS); }

    public static SerEnsemble of(SerModel model) { return new SerEnsemble(List.of(model)); }

    @Override public double[] speeds() { return speeds.clone(); }

    public SerEnsemble withSpeeds(double[] testTimeSpeeds) { return new SerEnsemble(members, testTimeSpeeds, adaptation); }

    /** The same members and speeds, adapting to each speaker by {@code objective} (null: not at all). */
    public SerEnsemble withAdaptation(SpeakerAdaptation.Objective objective) { return new SerEnsemble(members, speeds, objective); }

    /** "0.9,1.0,1.1" as factors. */
    public static double[] parseSpeeds(String csv) {
        try {
            return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("test-time speeds are factors like 0.9,1.0,1.1; got '" + csv + "'");
        }
    }

    private static String formatSpeeds(double[] speeds) {
        return java.util.Arrays.stream(speeds).mapToObj(Double::toString).collect(java.util.stream.Collectors.joining(","));
    }

    public SerModel first() { return members.getFirst(); }

    public int size() { return members.size(); }

    public List<String> labels() { return first().labels(); }

    public FeatureConfig featureConfig() { return first().featureConfig(); }

    public int maxFrames() { return first().maxFrames(); }

    /** Throws unless every member takes the same features in the same windows (so one extraction serves all). */
    public SerEnsemble requireSharedFeatures() {
        for (int k = 1; k < members.size(); k++) {
            SerModel m = members.get(k);
            if (!m.featureConfig().equals(featureConfig()) || m.maxFrames() != maxFrames())
                throw new IllegalArgumentException("model " + (k + 1) + " of the ensemble computes other features (config "
                        + m.featureConfig().fingerprint() + ", " + m.maxFrames() + " frames) than model 1 (" + featureConfig().fingerprint()
                        + ", " + maxFrames() + " frames); an ensemble that predicts must share them (ser evaluate takes such models)");
        }
        return this;
    }

    /** How the members' weights are stored; normalization statistics always keep their own precision. */
    public enum Weights {
        /** As trained. */
        FLOAT32,
        /** Half the bytes; each weight rounded to 11 significant bits (docs/app.md measures what it changes). */
        FLOAT16
    }

    public void save(Path file) throws IOException { save(file, Weights.FLOAT32); }

    public void save(Path file, Weights weights) throws IOException {
        requireSharedFeatures();
        SafeTensors.Writer w = new SafeTensors.Writer().metadata("ser.format", FORMAT).metadata("ser.members", Integer.toString(size()))
                .metadata("ser.test_time_speeds", formatSpeeds(speeds));
        if (adaptation != null) w.metadata("ser.speaker_adaptation", adaptation.option);
        for (int k = 0; k < size(); k++) {
            SafeTensors member = SafeTensors.parse(members.get(k).writer().toBytes(), null);
            String prefix = MEMBER + k + ".";
            for (String name : member.names()) {
                SafeTensors.Entry e = member.entry(name);
                if (weights == Weights.FLOAT16 && e.dtype().equals("F32") && !name.startsWith(SerModel.STATS_PREFIX))
                    w.putFloat16(prefix + name, e.shape(), member.floats(name));
                else w.put(prefix + name, e);
            }
            member.metadata().forEach((key, value) -> w.metadata(prefix + key, value));
        }
        w.write(file);
    }

    /** A model file or an ensemble file. */
    public static SerEnsemble load(Path file) throws IOException {
        if (!Files.isRegularFile(file))
            throw new IOException("no model file " + file + ": give the model.safetensors that `ser train` wrote into its run folder");
        return fromSafeTensors(SerModel.read(file), file.toString());
    }

    public static SerEnsemble load(InputStream in, String name) throws IOException {
        return fromSafeTensors(SafeTensors.parse(in.readAllBytes(), Path.of(name)), name);
    }

    /** Several files, each a model or an ensemble, as one ensemble of all their members (the first file's speeds and adaptation). */
    public static SerEnsemble load(List<Path> files) throws IOException {
        List<SerModel> all = new ArrayList<>();
        SerEnsemble first = null;
        for (Path f : files) {
            SerEnsemble e = load(f);
            all.addAll(e.members());
            if (first == null) first = e;
        }
        return first == null ? new SerEnsemble(all) : new SerEnsemble(all, first.speeds(), first.adaptation());
    }

    static SerEnsemble fromSafeTensors(SafeTensors st, String name) {
        Map<String, String> meta = st.metadata();
        if (!FORMAT.equals(meta.get("ser.format"))) return of(SerModel.fromSafeTensors(st, name));
        int n;
        try {
            n = Integer.parseInt(meta.getOrDefault("ser.members", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": an ensemble file without a valid ser.members count");
        }
        List<SerModel> members = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            String prefix = MEMBER + k + ".";
            Map<String, String> own = new LinkedHashMap<>();
            meta.forEach((key, value) -> {
                if (key.startsWith(prefix)) own.put(key.substring(prefix.length()), value);
            });
            members.add(SerModel.fromSafeTensors(st.part(prefix, own), name + " (member " + k + ")"));
        }
        try {
            String adaptation = meta.get("ser.speaker_adaptation");
            return new SerEnsemble(members, parseSpeeds(meta.getOrDefault("ser.test_time_speeds", "1.0")),
                    adaptation == null ? null : SpeakerAdaptation.Objective.ofOption(adaptation));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }
}
