package dev.ser.app.train;

import dev.ser.app.cli.UsageException;
import dev.ser.app.model.SerModel;
import dev.ser.engine.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code --refit N|RUN_DIR}: how many epochs a refit trains. Given a finished run's folder, its recorded best epoch,
 * after checking that the run was made with the same options, so that the epoch count is the one validation chose for
 * exactly this configuration (an epoch read off a metrics table by eye can be the wrong one: ties at six digits).
 */
final class RefitOption {
    private RefitOption() {}

    /**
     * 0 when {@code value} is null (no refit); {@code config} is this run's config.json, without the refit entry. A count
     * that {@code options} cannot refit (see {@link Trainer#checkRefit}) is a usage error.
     */
    static int epochs(String value, Map<String, Object> config, TrainOptions options) throws IOException {
        int n = epochs(value, config);
        if (n == 0) return 0;
        try {
            Trainer.checkRefit(options, n);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return n;
    }

    /** The epoch count {@code value} names: itself, or a finished run's recorded best epoch; 0 for null. */
    static int epochs(String value, Map<String, Object> config) throws IOException {
        if (value == null) return 0;
        if (value.matches("\\d{1,9}")) {
            int n = Integer.parseInt(value);
            if (n < 1) throw new UsageException("--refit needs at least 1 epoch, got " + value);
            return n;
        }
        Path run = Path.of(value), model = run.resolve("model.safetensors"), savedConfig = run.resolve("config.json");
        if (!Files.isRegularFile(model) || !Files.isRegularFile(savedConfig))
            throw new UsageException("--refit expects an epoch count or a finished `ser train` run folder (with model.safetensors and "
                    + "config.json); " + value + " is neither");
        Map<String, Object> training = SerModel.load(model).training();
        if (training.containsKey("refit_epochs"))
            throw new UsageException("--refit " + value + ": that run is itself a refit; give the run with validation that chose its epoch");
        if (!(training.get("best_epoch") instanceof Number best))
            throw new UsageException("--refit " + value + ": its model file records no best epoch; give the epoch count instead");
        String differs = firstDifference(Json.parseObject(Files.readString(savedConfig)), Json.parseObject(Json.write(config)));
        if (differs != null)
            throw new UsageException("--refit " + value + ": the options differ from that run's (" + differs + "); give the same options, "
                    + "so that its best epoch is the one chosen for this configuration");
        return best.intValue();
    }

    /** The first top-level or nested key whose values differ, as a path with its two values; null when equal. */
    static String firstDifference(Map<String, Object> saved, Map<String, Object> now) {
        Map<String, Object> a = new LinkedHashMap<>(saved), b = new LinkedHashMap<>(now);
        a.remove("refit_epochs");
        b.remove("refit_epochs");
        return difference("", a, b);
    }

    @SuppressWarnings("unchecked")
    private static String difference(String path, Object a, Object b) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            TreeSet<String> keys = new TreeSet<>();
            ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
            mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                String d = difference(path.isEmpty() ? k : path + "." + k, ((Map<String, Object>) ma).get(k), ((Map<String, Object>) mb).get(k));
                if (d != null) return d;
            }
            return null;
        }
        return java.util.Objects.equals(a, b) ? null : path + ": " + Json.write(a) + " there, " + Json.write(b) + " here";
    }
}
