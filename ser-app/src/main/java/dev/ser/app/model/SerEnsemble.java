package dev.ser.app.model;

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
 * <p>ONE file, like a model:
 * <pre>
 *   __metadata__  ser.format   "ser-ensemble/1"
 *                 ser.members  the number of members, N
 *                 member.K.*   member K's own metadata ({@link SerModel}'s ser.* keys), K = 0 .. N-1
 *   tensors       member.K.*   member K's tensors under their own names
 * </pre>
 * A plain model file loads as an ensemble of one, so every command that takes an ensemble takes a model.
 */
public record SerEnsemble(List<SerModel> members) {
    public static final String FORMAT = "ser-ensemble/1";
    private static final String MEMBER = "member.";

    public SerEnsemble {
        members = List.copyOf(members);
        if (members.isEmpty()) throw new IllegalArgumentException("an ensemble needs at least one model");
        List<String> labels = members.getFirst().labels();
        for (int k = 1; k < members.size(); k++)
            if (!members.get(k).labels().equals(labels))
                throw new IllegalArgumentException("an ensemble's models must have the same labels in the same order: model 1 has " + labels
                        + ", model " + (k + 1) + " has " + members.get(k).labels());
    }

    public static SerEnsemble of(SerModel model) { return new SerEnsemble(List.of(model)); }

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

    public void save(Path file) throws IOException {
        requireSharedFeatures();
        SafeTensors.Writer w = new SafeTensors.Writer().metadata("ser.format", FORMAT).metadata("ser.members", Integer.toString(size()));
        for (int k = 0; k < size(); k++) {
            SafeTensors member = SafeTensors.parse(members.get(k).writer().toBytes(), null);
            String prefix = MEMBER + k + ".";
            for (String name : member.names()) w.put(prefix + name, member.entry(name));
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

    /** Several files, each a model or an ensemble, as one ensemble of all their members. */
    public static SerEnsemble load(List<Path> files) throws IOException {
        List<SerModel> all = new ArrayList<>();
        for (Path f : files) all.addAll(load(f).members());
        return new SerEnsemble(all);
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
        return new SerEnsemble(members);
    }
}
