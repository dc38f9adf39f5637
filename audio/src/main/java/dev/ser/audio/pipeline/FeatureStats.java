package dev.ser.audio.pipeline;

import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-feature mean and population variance over the valid frames of a training set, saved with the model
 * so that prediction normalizes exactly as training did ({@link Normalization} has the formula). Carries the
 * feature config it was computed with, and refuses features of another config.
 *
 * <p>Stored two ways: as tensors in a safetensors file ({@link #writeTo}: {@code PREFIXmean} and
 * {@code PREFIXvar} F64 [F], {@code PREFIXcount} I64 [1]; metadata {@code PREFIXconfig} (the config's JSON),
 * {@code PREFIXepsilon}, {@code PREFIXvariance} = "population"), or as JSON ({@link #toMap}).
 */
public record FeatureStats(FeatureConfig config, long count, double[] mean, double[] variance, double epsilon) {
    public FeatureStats {
        int w = config.layout().width();
        if (mean.length != w || variance.length != w)
            throw new IllegalArgumentException("the config has " + w + " feature columns, the statistics " + mean.length
                    + " means and " + variance.length + " variances");
        if (count < 0 || !(epsilon >= 0)) throw new IllegalArgumentException("count and epsilon must be >= 0; found " + count + ", " + epsilon);
    }

    /** Normalizes the valid frames with these statistics; padded frames stay 0. */
    public PaddedFeatures apply(PaddedFeatures x) {
        return Normalization.apply(x, mean, variance, epsilon);
    }

    /** Throws unless features of {@code c} are what these statistics describe. */
    public void checkMatches(FeatureConfig c) {
        if (!c.equals(config))
            throw new IllegalArgumentException("the features are computed with config " + c.fingerprint() + " but the model's "
                    + "normalization statistics are of config " + config.fingerprint() + " (" + config.toJson() + "): "
                    + "use the model's saved feature config for prediction");
    }

    /**
     * Streaming statistics: each clip's mean and sum of squared deviations (two passes over the clip, in
     * double) merged into the running totals with Chan, Golub and LeVeque's update, the batch form of Welford's:
     * <pre>
     *   n = na + nb;  d = mean_b - mean_a
     *   mean = mean_a + d * nb / n
     *   M2   = M2_a + M2_b + d^2 * na * nb / n        variance = M2 / n (population)
     * </pre>
     * Numerically stable where the textbook sum of squares is not, order-independent up to rounding, and
     * mergeable across threads or GPU blocks ({@link #merge(Accumulator)}).
     */
    public static final class Accumulator {
        private final FeatureConfig config;
        private final int width;
        private long count;
        private final double[] mean, m2;

        public Accumulator(FeatureConfig config) {
            this.config = config;
            this.width = config.layout().width();
            this.mean = new double[width];
            this.m2 = new double[width];
        }

        /** Adds the valid frames of one clip. */
        public Accumulator add(PaddedFeatures x) {
            if (x.width() != width)
                throw new IllegalArgumentException("expected features with " + width + " columns (config " + config.fingerprint()
                        + "), found " + x.width());
            int nb = x.validFrames();
            if (nb == 0) return this;
            double[] mb = new double[width], vb = new double[width];
            Normalization.meanAndVariance(x, mb, vb);
            for (int f = 0; f < width; f++) vb[f] *= nb; // population variance back to M2
            combine(nb, mb, vb);
            return this;
        }

        public Accumulator add(FeatureMatrix m) {
            return m.frames() == 0 ? this : add(PaddedFeatures.whole(m));
        }

        public Accumulator merge(Accumulator other) {
            if (other.width != width) throw new IllegalArgumentException("cannot merge statistics of " + other.width + " and " + width + " columns");
            if (other.count > 0) combine(other.count, other.mean, other.m2);
            return this;
        }

        private void combine(long nb, double[] meanB, double[] m2B) {
            long n = count + nb;
            for (int f = 0; f < width; f++) {
                double d = meanB[f] - mean[f];
                mean[f] += d * nb / n;
                m2[f] += m2B[f] + d * d * ((double) count * nb / n);
            }
            count = n;
        }

        public long count() { return count; }

        public FeatureStats finish(double epsilon) {
            if (count == 0) throw new IllegalStateException("no frames were added: the training set gave no features to normalize with");
            double[] var = new double[width];
            for (int f = 0; f < width; f++) var[f] = m2[f] / count;
            return new FeatureStats(config, count, mean.clone(), var, epsilon);
        }

        public FeatureStats finish() { return finish(Normalization.EPSILON); }
    }

    public SafeTensors.Writer writeTo(SafeTensors.Writer w, String prefix) {
        return w.put(prefix + "mean", new int[] {mean.length}, mean)
                .put(prefix + "var", new int[] {variance.length}, variance)
                .put(prefix + "count", new int[] {1}, new long[] {count})
                .metadata(prefix + "config", config.toJson())
                .metadata(prefix + "epsilon", Double.toString(epsilon))
                .metadata(prefix + "variance", "population");
    }

    public static FeatureStats readFrom(SafeTensors st, String prefix) {
        String cfg = st.metadata().get(prefix + "config"), eps = st.metadata().get(prefix + "epsilon");
        if (cfg == null || eps == null)
            throw new IllegalArgumentException("expected metadata " + prefix + "config and " + prefix + "epsilon beside the "
                    + "normalization statistics, found keys " + st.metadata().keySet() + ": was the file written by FeatureStats.writeTo?");
        String kind = st.metadata().getOrDefault(prefix + "variance", "population");
        if (!kind.equals("population"))
            throw new IllegalArgumentException(prefix + "variance is '" + kind + "'; only population variance is supported");
        return new FeatureStats(FeatureConfig.fromJson(cfg), st.longs(prefix + "count")[0], st.doubles(prefix + "mean"),
                st.doubles(prefix + "var"), Double.parseDouble(eps));
    }

    /** A standalone file of just these statistics (tensor names without prefix). */
    public void save(Path file) throws IOException {
        writeTo(new SafeTensors.Writer(), "").write(file);
    }

    public static FeatureStats load(Path file) throws IOException {
        return readFrom(SafeTensors.read(file), "");
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config.toMap());
        m.put("count", count);
        m.put("epsilon", epsilon);
        m.put("variance", "population");
        m.put("mean", mean);
        m.put("var", variance);
        return m;
    }

    public String toJson() { return Json.writePretty(toMap()); }

    @SuppressWarnings("unchecked")
    public static FeatureStats fromMap(Map<String, ?> m) {
        if (!(m.get("config") instanceof Map<?, ?> cfg) || !(m.get("count") instanceof Number count)
                || !(m.get("epsilon") instanceof Number eps) || !(m.get("mean") instanceof List<?> mean)
                || !(m.get("var") instanceof List<?> var))
            throw new IllegalArgumentException("expected feature statistics {config, count, epsilon, mean, var}, found keys " + m.keySet());
        if (m.containsKey("variance") && !"population".equals(m.get("variance")))
            throw new IllegalArgumentException("variance is '" + m.get("variance") + "'; only population variance is supported");
        return new FeatureStats(FeatureConfig.fromMap((Map<String, ?>) cfg), count.longValue(), doubles(mean, "mean"),
                doubles(var, "var"), eps.doubleValue());
    }

    public static FeatureStats fromJson(String json) { return fromMap(Json.parseObject(json)); }

    private static double[] doubles(List<?> l, String what) {
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) throw new IllegalArgumentException(what + "[" + i + "]: expected a number, found " + l.get(i));
            out[i] = n.doubleValue();
        }
        return out;
    }

    // Records compare arrays by identity; statistics are equal when their numbers are.
    @Override public boolean equals(Object o) {
        return o instanceof FeatureStats s && s.config.equals(config) && s.count == count && s.epsilon == epsilon
                && Arrays.equals(s.mean, mean) && Arrays.equals(s.variance, variance);
    }

    @Override public int hashCode() {
        return config.hashCode() * 31 + Arrays.hashCode(mean);
    }

    @Override public String toString() {
        return "FeatureStats[config=" + config.fingerprint() + ", frames=" + count + ", features=" + mean.length + "]";
    }
}
