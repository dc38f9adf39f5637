package dev.ser.engine.nn;

import dev.ser.engine.io.Json;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sequence in, class logits out: optional convolutions over time ({@link ConvFrontEnd}) -> LSTM layers ->
 * pooling over time -> Dense layers (ReLU, dropout) -> Dense to the classes. The engine's one model; it knows
 * nothing of audio or emotions.
 *
 * <p>Parameter names: {@code conv.0.weight ...} (when there are convolutions), {@code lstm.weight_ih_l0 ...},
 * {@code pool.score.weight} (attention), {@code fc.0.weight}, {@code fc.1.weight} ..., the last one mapping to
 * the classes.
 */
public final class SequenceClassifier extends Module {
    /**
     * Hyperparameters; JSON round trip so a model file records exactly what it is.
     *
     * @param convChannels output channels of each convolution before the LSTM (empty: none)
     * @param convKernel   their kernel, in frames (odd)
     * @param convPool     average pooling (and stride) after each convolution, in frames (1: none)
     */
    public record Config(int inputSize, List<Integer> convChannels, int convKernel, int convPool, int hiddenSize, int numLayers,
                         boolean bidirectional, double dropout, Pooling.Kind pooling, List<Integer> denseSizes, int numClasses) {
        public Config {
            convChannels = List.copyOf(convChannels);
            denseSizes = List.copyOf(denseSizes);
            if (numClasses < 2) throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
            if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            if (!convChannels.isEmpty() && (convKernel < 1 || convKernel % 2 == 0))
                throw new IllegalArgumentException("the convolution kernel must be odd (same-length output), got " + convKernel);
            if (!convChannels.isEmpty() && convPool < 1) throw new IllegalArgumentException("conv pooling must be >= 1 (1 = none), got " + convPool);
        }

        /** No convolutions: LSTM straight on the input. */
        public Config(int inputSize, int hiddenSize, int numLayers, boolean bidirectional, double dropout, Pooling.Kind pooling,
                      List<Integer> denseSizes, int numClasses) {
            this(inputSize, List.of(), 0, 1, hiddenSize, numLayers, bidirectional, dropout, pooling, denseSizes, numClasses);
        }

        /** The same with convolutions before the LSTM. */
        public Config withConv(List<Integer> channels, int kernel, int pool) {
            return new Config(inputSize, channels, kernel, pool, hiddenSize, numLayers, bidirectional, dropout, pooling, denseSizes, numClasses);
        }

        public Config withNumClasses(int classes) {
            return new Config(inputSize, convChannels, convKernel, convPool, hiddenSize, numLayers, bidirectional, dropout, pooling, denseSizes,
                    classes);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input_size", inputSize);
            if (!convChannels.isEmpty()) { // absent without convolutions: older files and run configs stay as they were
                m.put("conv_channels", new ArrayList<>(convChannels));
                m.put("conv_kernel", convKernel);
                m.put("conv_pool", convPool);
            }
            m.put("hidden_size", hiddenSize);
            m.put("num_layers", numLayers);
            m.put("bidirectional", bidirectional);
            m.put("dropout", dropout);
            m.put("pooling", pooling.name().toLowerCase());
            m.put("dense_sizes", new ArrayList<>(denseSizes));
            m.put("num_classes", numClasses);
            return m;
        }

        public static Config fromJson(Map<String, Object> m) {
            List<Integer> dense = new ArrayList<>(), conv = new ArrayList<>();
            for (Object o : (List<?>) m.get("dense_sizes")) dense.add(((Number) o).intValue());
            if (m.get("conv_channels") instanceof List<?> channels) for (Object o : channels) conv.add(((Number) o).intValue());
            return new Config(num(m, "input_size"), conv, conv.isEmpty() ? 0 : num(m, "conv_kernel"), conv.isEmpty() ? 1 : num(m, "conv_pool"),
                    num(m, "hidden_size"), num(m, "num_layers"), (Boolean) m.get("bidirectional"),
                    ((Number) m.get("dropout")).doubleValue(), Pooling.Kind.valueOf(String.valueOf(m.get("pooling")).toUpperCase()),
                    dense, num(m, "num_classes"));
        }

        private static int num(Map<String, Object> m, String k) {
            Object v = m.get(k);
            if (!(v instanceof Number n)) throw new IllegalArgumentException("model config lacks '" + k + "': " + Json.write(m));
            return n.intValue();
        }
    }

    private final Config config;
    private final ConvFrontEnd conv;
    private final LSTM lstm;
    private final Pooling pool;
    private final List<Dense> fc = new ArrayList<>();
    private SplittableRandom dropoutRng;

    public SequenceClassifier(Config config, DType dtype, long seed) {
        this.config = config;
        SplittableRandom rng = new SplittableRandom(seed);
        // split off only when there are convolutions: a model without them starts exactly as it always has
        SplittableRandom convRng = config.convChannels().isEmpty() ? null : rng.split();
        conv = config.convChannels().isEmpty() ? null
                : new ConvFrontEnd(config.inputSize(), config.convChannels(), config.convKernel(), config.convPool(), dtype, convRng);
        int lstmInput = conv == null ? config.inputSize() : conv.outputSize(config.inputSize());
        lstm = new LSTM(lstmInput, config.hiddenSize(), config.numLayers(), config.bidirectional(), config.dropout(), dtype, rng);
        int width = config.hiddenSize() * lstm.directions();
        pool = new Pooling(config.pooling(), width, dtype, rng);
        for (int size : config.denseSizes()) {
            fc.add(new Dense(width, size, dtype, rng));
            width = size;
        }
        fc.add(new Dense(width, config.numClasses(), dtype, rng));
        dropoutRng = rng.split();
    }

    public Config config() { return config; }

    /**
     * Reseeds every dropout mask generator. A trainer calls it at the start of each epoch with a seed
     * derived from the run's seed and the epoch, so a resumed run draws the same masks as an
     * uninterrupted one.
     */
    public void seedDropout(long seed) {
        lstm.seedDropout(seed);
        dropoutRng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    }

    public LSTM lstm() { return lstm; }

    /** x [B, T, F] padded, lengths the valid frames per sequence: logits [B, C]. */
    public Tensor forward(Tensor x, int[] lengths) {
        if (conv != null) {
            ConvFrontEnd.Output c = conv.forward(x, lengths);
            x = c.y();
            lengths = c.lengths();
        }
        Tensor h = pool.forward(lstm.forward(x, lengths, null, null).y(), lengths);
        for (int i = 0; i < fc.size(); i++) {
            h = Dropout.apply(h, config.dropout(), isTraining(), dropoutRng); // before each dense layer, as in most SER heads
            h = fc.get(i).forward(h);
            if (i + 1 < fc.size()) h = h.relu();
        }
        return h;
    }

    @Override public Map<String, Tensor> namedParameters() { return collect(new LinkedHashMap<>()); }

    @Override protected Map<String, Module> children() {
        Map<String, Module> m = new LinkedHashMap<>();
        if (conv != null) m.put("conv", conv);
        m.put("lstm", lstm);
        m.put("pool", pool);
        for (int i = 0; i < fc.size(); i++) m.put("fc." + i, fc.get(i));
        return m;
    }
}
