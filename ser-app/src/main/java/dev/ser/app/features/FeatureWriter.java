package dev.ser.app.features;

import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureLayout;
import dev.ser.audio.pipeline.FeatureMatrix;
import dev.ser.audio.pipeline.PaddedFeatures;
import dev.ser.engine.io.AtomicFiles;
import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one clip's features in the chosen format and orientation, with the exact feature config beside
 * them (safetensors {@code __metadata__}, or a sidecar {@code NAME.json} for npy and csv), so that anyone
 * can recompute them, or check that a model was trained on the same features. Every file is written
 * atomically (temporary file, then rename).
 */
final class FeatureWriter {
    private final String format;
    private final boolean librosaLayout;
    private final int maxFrames;

    /**
     * @param format        "safetensors", "npy" or "csv"
     * @param librosaLayout [features x frames] (librosa's orientation) instead of [frames x features]
     * @param maxFrames     fit every clip to this many frames (zero padding or truncation); 0 keeps its length
     */
    FeatureWriter(String format, boolean librosaLayout, int maxFrames) {
        this.format = format;
        this.librosaLayout = librosaLayout;
        this.maxFrames = maxFrames;
    }

    String extension() { return "." + format; }

    void write(Path target, FeatureMatrix m, FeatureConfig config, String source) throws IOException {
        Map<String, String> meta = metadata(m, config, source);
        PaddedFeatures padded = null;
        if (maxFrames > 0) {
            padded = PaddedFeatures.fit(m, maxFrames);
            meta.put("valid_frames", Integer.toString(padded.validFrames()));
            m = new FeatureMatrix(padded.data(), maxFrames, m.width(), m.layout());
        }
        int frames = m.frames();
        int[] shape = librosaLayout ? new int[] {m.width(), frames} : new int[] {frames, m.width()};
        float[] data = librosaLayout ? m.toFeaturesByFrames() : m.data();
        switch (format) {
            case "safetensors" -> {
                SafeTensors.Writer w = new SafeTensors.Writer();
                meta.forEach(w::metadata);
                w.put("features", shape, data);
                for (FeatureLayout.Range r : m.layout().ranges()) {
                    float[] block = m.block(r.name()); // [frames x width]
                    w.put(r.name(), librosaLayout ? new int[] {r.width(), frames} : new int[] {frames, r.width()},
                            librosaLayout ? transpose(block, frames, r.width()) : block);
                }
                if (padded != null) w.put("mask", new int[] {frames}, padded.maskAsFloats());
                w.write(target);
            }
            case "npy" -> {
                Npy.write(target, shape, data);
                sidecar(target, meta, shape);
            }
            case "csv" -> {
                AtomicFiles.writeString(target, csv(m.layout(), shape, data));
                sidecar(target, meta, shape);
            }
            default -> throw new IllegalArgumentException("unknown format " + format);
        }
    }

    /** frames: the clip's own frame count; valid_frames: how many of the written rows are real (all, unless fitted). */
    private Map<String, String> metadata(FeatureMatrix m, FeatureConfig config, String source) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("feature_config", config.toJson());
        meta.put("fingerprint", config.fingerprint());
        meta.put("layout", librosaLayout ? "librosa" : "frames");
        meta.put("shape_meaning", librosaLayout ? "[features, frames]" : "[frames, features]");
        meta.put("columns", Json.write(m.layout().toMap()));
        meta.put("source", source);
        meta.put("frames", Integer.toString(m.frames()));
        meta.put("valid_frames", Integer.toString(m.frames()));
        meta.put("frame_rate_hz", Double.toString((double) config.sr() / config.hopLength()));
        return meta;
    }

    /** NAME.json beside NAME.npy / NAME.csv: the same metadata, with the JSON strings expanded. */
    private static void sidecar(Path target, Map<String, String> meta, int[] shape) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("feature_config", Json.parseObject(meta.get("feature_config")));
        json.put("fingerprint", meta.get("fingerprint"));
        json.put("layout", meta.get("layout"));
        json.put("shape", shape);
        json.put("shape_meaning", meta.get("shape_meaning"));
        json.put("columns", Json.parseObject(meta.get("columns")));
        json.put("source", meta.get("source"));
        json.put("frames", Long.parseLong(meta.get("frames")));
        json.put("valid_frames", Long.parseLong(meta.get("valid_frames")));
        json.put("frame_rate_hz", Double.parseDouble(meta.get("frame_rate_hz")));
        String name = target.getFileName().toString();
        AtomicFiles.writeString(target.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".json"), Json.writePretty(json));
    }

    /**
     * A header of column names (mfcc_0 .. mfcc_12, mfcc_delta_0 .., mel_0 ..) then one frame per row; in the
     * librosa layout one feature per row, its name first. Floats print in Java's shortest round-trip form.
     */
    private String csv(FeatureLayout layout, int[] shape, float[] data) {
        String[] names = new String[layout.width()];
        for (FeatureLayout.Range r : layout.ranges())
            for (int i = r.start(); i < r.end(); i++) names[i] = r.width() == 1 ? r.name() : r.name() + "_" + (i - r.start());
        StringBuilder sb = new StringBuilder();
        return librosaLayout ? csvByFeature(sb, names, shape, data) : csvByFrame(sb, names, shape, data);
    }

    private static String csvByFrame(StringBuilder sb, String[] names, int[] shape, float[] data) {
        sb.append(String.join(",", names)).append('\n');
        for (int t = 0; t < shape[0]; t++) {
            for (int f = 0; f < shape[1]; f++) sb.append(f == 0 ? "" : ",").append(data[t * shape[1] + f]);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String csvByFeature(StringBuilder sb, String[] names, int[] shape, float[] data) {
        sb.append("feature");
        for (int t = 0; t < shape[1]; t++) sb.append(",frame_").append(t);
        sb.append('\n');
        for (int f = 0; f < shape[0]; f++) {
            sb.append(names[f]);
            for (int t = 0; t < shape[1]; t++) sb.append(',').append(data[f * shape[1] + t]);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static float[] transpose(float[] rowsByCols, int rows, int cols) {
        float[] out = new float[rowsByCols.length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) out[c * rows + r] = rowsByCols[r * cols + c];
        return out;
    }
}
