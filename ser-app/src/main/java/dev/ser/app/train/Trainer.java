package dev.ser.app.train;

import dev.ser.engine.io.AtomicFiles;
import dev.ser.engine.io.Checkpoint;
import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.CrossEntropy;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.optim.Adam;
import dev.ser.engine.optim.AdamW;
import dev.ser.engine.optim.ExponentialLR;
import dev.ser.engine.optim.GradClip;
import dev.ser.engine.optim.LrSchedule;
import dev.ser.engine.optim.Optimizer;
import dev.ser.engine.optim.ReduceLROnPlateau;
import dev.ser.engine.optim.StepLR;
import dev.ser.engine.optim.WarmupCosineLR;
import dev.ser.engine.optim.WeightAverage;
import dev.ser.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop: mini-batches in a seeded order, the fused LSTM's forward and backward, clipping,
 * Adam/AdamW, a learning-rate schedule, validation after every epoch, the best epoch chosen on the
 * validation split (never the test split), early stopping, and an atomic checkpoint after every epoch
 * from which {@code --resume} continues exactly: a crash loses at most the epoch in progress. A refit
 * ({@link #refit(int)}) has no validation: it trains the given epochs and keeps the last. With weight averaging
 * ({@link #averageFrom(int)}) the model that is validated, kept and returned is, from that epoch on, the mean of
 * the weights every epoch since ended with, while training itself goes on from its own weights.
 *
 * <p>Files in the run folder: {@code checkpoint.safetensors} (model, optimizer, schedule, counters, history;
 * with weight averaging, the mean so far under {@code swa.}), {@code best.safetensors} (the best epoch's
 * weights), {@code metrics.csv} and {@code metrics.json} (one row per epoch, rewritten atomically each epoch).
 */
public final class Trainer {
    public record Result(List<EpochMetrics> history, int bestEpoch, boolean stoppedEarly) {}

    private final SequenceClassifier model;
    private final TrainOptions options;
    private final int numClasses;
    private final Path runDir;
    private final ProgressBar progress;
    private Augment augment = Augment.NONE;
    private Mixup mixup = Mixup.NONE;
    private EpochExamples epochExamples;
    private int refitEpochs;
    private int averageFrom;

    /** Training examples drawn afresh each epoch (waveform augmentation), as many as and in the order of the training set. */
    public interface EpochExamples {
        /** The epoch's examples; a function of the seed alone, so that a resumed run sees the same ones. */
        List<Example> forEpoch(long epochSeed);
    }

    public Trainer(SequenceClassifier model, TrainOptions options, Path runDir) {
        this(model, options, runDir, ProgressBar.stderr());
    }

    Trainer(SequenceClassifier model, TrainOptions options, Path runDir, ProgressBar progress) {
        this.model = model;
        this.options = options;
        this.numClasses = model.config().numClasses();
        this.runDir = runDir;
        this.progress = progress;
    }

    /** Masks training batches (never validation or test); seeded per epoch like the batch order. */
    public Trainer augment(Augment augment) {
        this.augment = augment;
        return this;
    }

    /** Blends training batches (after masking); seeded per epoch, from its own generator so runs without it are unchanged. */
    public Trainer mixup(Mixup mixup) {
        this.mixup = mixup;
        return this;
    }

    /** Replaces the training examples each epoch by {@code source}'s (the training set still gives labels and class weights). */
    public Trainer epochExamples(EpochExamples source) {
        this.epochExamples = source;
        return this;
    }

    /**
     * Trains without validation for {@code epochs} epochs of the schedule that {@link TrainOptions#epochs()} plans, and
     * keeps the last: the refit after a run with validation has picked the epoch count. No early stopping.
     */
    public Trainer refit(int epochs) {
        checkRefit(options, epochs);
        this.refitEpochs = epochs;
        return this;
    }

    /**
     * Stochastic weight averaging: from epoch {@code epoch} on, each epoch's end weights join a running mean
     * ({@link WeightAverage}), and that mean is what validation scores, the best epoch keeps and a refit returns.
     */
    public Trainer averageFrom(int epoch) {
        checkAverageFrom(options, epoch, 0);
        this.averageFrom = epoch;
        return this;
    }

    /** Why weight averaging cannot start at {@code epoch} (of a refit of {@code refitEpochs} when not 0), as an exception. */
    static void checkAverageFrom(TrainOptions options, int epoch, int refitEpochs) {
        int last = refitEpochs > 0 ? refitEpochs : options.epochs();
        if (epoch < 1 || epoch > last)
            throw new IllegalArgumentException("--swa-start must be between 1 and the last epoch (" + last + ", "
                    + (refitEpochs > 0 ? "the refit's" : "--epochs") + "), got " + epoch);
    }

    /** Why {@code epochs} cannot be refit under {@code options}, as an exception; nothing when it can. */
    static void checkRefit(TrainOptions options, int epochs) {
        if (epochs < 1 || epochs > options.epochs())
            throw new IllegalArgumentException("--refit must be between 1 and --epochs (" + options.epochs() + "), got " + epochs);
        if (options.schedule().equals("plateau"))
            throw new IllegalArgumentException("--refit has no validation loss for --schedule plateau to follow; use cosine, step or exponential");
    }

    public Path checkpointFile() { return runDir.resolve("checkpoint.safetensors"); }

    public Path bestFile() { return runDir.resolve("best.safetensors"); }

    public Result fit(List<Example> train, List<Example> val, boolean resume) throws IOException {
        return fit(train, val, resume, Integer.MAX_VALUE);
    }

    /** As {@link #fit(List, List, boolean)}, ending after epoch {@code stopAfter} as a crash would (for tests). */
    Result fit(List<Example> train, List<Example> val, boolean resume, int stopAfter) throws IOException {
        if (train.isEmpty()) throw new IllegalArgumentException("the training split is empty");
        boolean refit = refitEpochs > 0;
        if (refit && !val.isEmpty()) throw new IllegalArgumentException("a refit trains on the validation clips; it has none to validate on");
        if (!refit && val.isEmpty()) throw new IllegalArgumentException("the validation split is empty: the best epoch is chosen on it (never on the test split)");
        int lastEpoch = refit ? refitEpochs : options.epochs();
        if (averageFrom > 0) checkAverageFrom(options, averageFrom, refitEpochs);
        Files.createDirectories(runDir);
        int batchesPerEpoch = (train.size() + options.batchSize() - 1) / options.batchSize();
        Optimizer opt = optimizer();
        LrSchedule schedule = schedule(opt, batchesPerEpoch);
        CrossEntropy loss = new CrossEntropy(classWeights(train), options.labelSmoothing());

        List<EpochMetrics> history = new ArrayList<>();
        int startEpoch = 1, bestEpoch = 0, badEpochs = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        WeightAverage average = averageFrom > 0 ? new WeightAverage(model) : null;
        if (resume) {
            if (!Files.exists(checkpointFile()))
                throw new IllegalArgumentException("--resume: no checkpoint in " + runDir + " (expected " + checkpointFile().getFileName() + ")");
            SafeTensors st = SafeTensors.read(checkpointFile());
            Checkpoint.loadWeights(st, model, List.of(WeightAverage.PREFIX));
            Checkpoint.loadTraining(st, opt, schedule);
            if (average != null) average = WeightAverage.read(st, model);
            Map<String, String> meta = st.metadata();
            for (Object row : (List<?>) Json.parse(meta.get("trainer.history"))) {
                @SuppressWarnings("unchecked") Map<String, Object> r = (Map<String, Object>) row;
                history.add(EpochMetrics.fromJson(r));
            }
            startEpoch = Integer.parseInt(meta.get("trainer.epoch")) + 1;
            bestEpoch = Integer.parseInt(meta.get("trainer.best_epoch"));
            badEpochs = Integer.parseInt(meta.get("trainer.bad_epochs"));
            bestScore = bestEpoch == 0 ? Double.NEGATIVE_INFINITY : history.get(bestEpoch - 1).score(options.selectBy());
            System.err.printf("resuming %s after epoch %d (best so far: epoch %d)%n", runDir, startEpoch - 1, bestEpoch);
        }
        boolean stoppedEarly = false;
        for (int epoch = startEpoch; epoch <= Math.min(lastEpoch, stopAfter); epoch++) {
            if (!refit && options.patience() > 0 && badEpochs >= options.patience()) {
                stoppedEarly = true;
                break;
            }
            long start = System.nanoTime();
            double[] trainStats = trainEpoch(epoch, train, opt, schedule, loss, start);
            double lrUsed = trainStats[2];
            WeightAverage trained = null; // the epoch's own weights, while the average stands in for them
            if (average != null && epoch >= averageFrom) {
                average.update(model);
                trained = WeightAverage.snapshot(model);
                average.copyInto(model);
            }
            double[] valStats = refit ? new double[]{Double.NaN, Double.NaN, Double.NaN} : evaluate(val);
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochMetrics m = new EpochMetrics(epoch, trainStats[0], trainStats[1], valStats[0], valStats[1], valStats[2], lrUsed, seconds);
            history.add(m);
            if (isEpochSchedule() && schedule != null) schedule.step(m.valLoss());
            boolean best = refit || m.score(options.selectBy()) > bestScore; // a refit keeps its last epoch
            if (best) {
                bestScore = m.score(options.selectBy());
                bestEpoch = epoch;
                badEpochs = 0;
                Map<String, String> bestMeta = new LinkedHashMap<>(Map.of("trainer.epoch", Integer.toString(epoch)));
                if (trained != null) bestMeta.put("trainer.averaged_epochs", averageFrom + "-" + epoch);
                Checkpoint.save(bestFile(), model, null, null, bestMeta);
            } else {
                badEpochs++;
            }
            if (trained != null) trained.copyInto(model); // training goes on from where it was, not from the mean
            writeHistory(history);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("trainer.epoch", Integer.toString(epoch));
            meta.put("trainer.best_epoch", Integer.toString(bestEpoch));
            meta.put("trainer.bad_epochs", Integer.toString(badEpochs));
            meta.put("trainer.history", Json.write(history.stream().map(EpochMetrics::toJson).toList()));
            meta.put("trainer.options", Json.write(options.toJson()));
            SafeTensors.Writer checkpoint = Checkpoint.writer(model, opt, schedule, meta);
            if (average != null) average.write(checkpoint, model);
            checkpoint.write(checkpointFile());
            progress.epoch(m, lastEpoch, best && !refit, seconds * (lastEpoch - epoch));
        }
        if (bestEpoch == 0) throw new IllegalStateException("no epoch finished; nothing to keep");
        Checkpoint.loadWeights(SafeTensors.read(bestFile()), model);
        return new Result(history, bestEpoch, stoppedEarly);
    }

    /** Returns {mean loss, accuracy, the learning rate of the epoch's last batch}. */
    private double[] trainEpoch(int epoch, List<Example> train, Optimizer opt, LrSchedule schedule, CrossEntropy loss, long start) {
        model.train(true);
        // Seeded per epoch (not a running generator), so a resumed run shuffles and drops out exactly as an uninterrupted one.
        long epochSeed = options.seed() * 1_000_003L + epoch;
        model.seedDropout(epochSeed);
        int[] order = permutation(train.size(), new SplittableRandom(epochSeed));
        SplittableRandom augmentRng = new SplittableRandom(~epochSeed), mixupRng = new SplittableRandom(epochSeed ^ 0x6d697875704cL);
        if (epochExamples != null) train = epochExamplesChecked(train, epochSeed);
        int batches = (train.size() + options.batchSize() - 1) / options.batchSize();
        double lossSum = 0;
        int correct = 0, seen = 0;
        double lastLr = opt.lr();
        for (int b = 0; b < batches; b++) {
            List<Example> items = new ArrayList<>();
            for (int i = b * options.batchSize(); i < Math.min(train.size(), (b + 1) * options.batchSize()); i++)
                items.add(augment.apply(train.get(order[i]), augmentRng));
            Mixup.Batch mixed = mixup.enabled() ? mixup.apply(items, mixupRng) : null;
            Batches.Batch batch = Batches.of(mixed != null ? mixed.examples() : items);
            opt.zeroGrad();
            Tensor logits = model.forward(batch.x().to(model.backend()), batch.lengths());
            Tensor l = mixed == null ? loss.apply(logits, batch.labels())
                    : loss.apply(logits, batch.labels()).scale(mixed.lambda()).add(loss.apply(logits, mixed.partnerLabels()).scale(1 - mixed.lambda()));
            double value = l.item();
            if (!Double.isFinite(value))
                throw new IllegalStateException(String.format("the loss became %s at epoch %d, batch %d/%d. Lower --lr (now %.2e) or --clip-grad-norm, "
                        + "check the features for NaN; the last good state is in %s (--resume continues from it)", value, epoch, b + 1, batches,
                        opt.lr(), checkpointFile()));
            l.backward();
            if (options.clipGradNorm() > 0) GradClip.clipGradNorm(model.namedParameters(), options.clipGradNorm());
            lastLr = opt.lr();
            opt.step();
            if (!isEpochSchedule() && schedule != null) schedule.step();
            lossSum += value * items.size();
            correct += countCorrect(logits, batch.labels());
            seen += items.size();
            progress.batch(epoch, options.epochs(), b + 1, batches, lossSum / seen, (double) correct / seen, opt.lr(),
                    (System.nanoTime() - start) / 1e9);
        }
        return new double[]{lossSum / seen, (double) correct / seen, lastLr};
    }

    private List<Example> epochExamplesChecked(List<Example> train, long epochSeed) {
        List<Example> drawn = epochExamples.forEpoch(epochSeed);
        if (drawn.size() != train.size()) throw new IllegalStateException("the epoch's examples are " + drawn.size() + ", the training set " + train.size());
        for (int i = 0; i < drawn.size(); i++)
            if (drawn.get(i).label() != train.get(i).label() || !drawn.get(i).id().equals(train.get(i).id()))
                throw new IllegalStateException("the epoch's example " + i + " is " + drawn.get(i).id() + ", the training set's " + train.get(i).id());
        return drawn;
    }

    /** {mean loss, accuracy, unweighted average recall} of the current model; no dropout, no graph. */
    public double[] evaluate(List<Example> examples) {
        int[][] confusion = new int[numClasses][numClasses];
        double lossSum = 0;
        float[][] probabilities = predict(examples);
        for (int i = 0; i < examples.size(); i++) {
            int y = examples.get(i).label(), p = argmax(probabilities[i]);
            confusion[y][p]++;
            lossSum += -Math.log(Math.max(probabilities[i][y], 1e-30));
        }
        int correct = 0, present = 0;
        double recallSum = 0;
        for (int c = 0; c < numClasses; c++) {
            int support = 0;
            for (int p = 0; p < numClasses; p++) support += confusion[c][p];
            correct += confusion[c][c];
            if (support > 0) {
                recallSum += (double) confusion[c][c] / support;
                present++;
            }
        }
        return new double[]{lossSum / examples.size(), (double) correct / examples.size(), recallSum / Math.max(1, present)};
    }

    /** Class probabilities for every example, in batches, in evaluation mode. */
    public float[][] predict(List<Example> examples) {
        return Batches.probabilities(model, examples, options.batchSize());
    }

    private boolean isEpochSchedule() { return !options.schedule().equals("cosine"); }

    private Optimizer optimizer() {
        return switch (options.optimizer()) {
            case "adam" -> new Adam(model.namedParameters(), options.lr(), 0.9, 0.999, 1e-8, options.weightDecay(), false);
            case "adamw" -> new AdamW(model.namedParameters(), options.lr(), 0.9, 0.999, 1e-8, options.weightDecay(), false);
            default -> throw new IllegalArgumentException("--optimizer must be adam or adamw; got '" + options.optimizer() + "'");
        };
    }

    private LrSchedule schedule(Optimizer opt, int batchesPerEpoch) {
        return switch (options.schedule()) {
            case "none" -> null;
            case "step" -> new StepLR(opt, options.stepSize(), options.gamma());
            case "exponential" -> new ExponentialLR(opt, options.gamma());
            case "cosine" -> new WarmupCosineLR(opt, options.warmupEpochs() * batchesPerEpoch, options.epochs() * batchesPerEpoch, options.minLr());
            case "plateau" -> new ReduceLROnPlateau(opt, "min", options.gamma(), Math.max(1, options.stepSize() / 2));
            default -> throw new IllegalArgumentException("--schedule must be none, step, exponential, cosine or plateau; got '" + options.schedule() + "'");
        };
    }

    /** scikit-learn's "balanced": n / (C * n_c). A class absent from training gets 0 (no target ever selects it). */
    private Tensor classWeights(List<Example> train) {
        if (!options.classWeights()) return null;
        int[] counts = new int[numClasses];
        for (Example e : train) counts[e.label()]++;
        double[] w = new double[numClasses];
        for (int c = 0; c < numClasses; c++) w[c] = counts[c] == 0 ? 0 : (double) train.size() / (numClasses * counts[c]);
        return Tensor.of(w, numClasses).to(model.backend());
    }

    private void writeHistory(List<EpochMetrics> history) throws IOException {
        StringBuilder csv = new StringBuilder(EpochMetrics.CSV_HEADER).append('\n');
        for (EpochMetrics m : history) csv.append(m.csv()).append('\n');
        AtomicFiles.writeString(runDir.resolve("metrics.csv"), csv.toString());
        AtomicFiles.writeString(runDir.resolve("metrics.json"), Json.writePretty(history.stream().map(EpochMetrics::toJson).toList()));
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private int countCorrect(Tensor logits, int[] labels) {
        float[] l = logits.toFloatArray();
        int correct = 0;
        for (int i = 0; i < labels.length; i++)
            if (argmax(java.util.Arrays.copyOfRange(l, i * numClasses, (i + 1) * numClasses)) == labels[i]) correct++;
        return correct;
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
        return best;
    }
}
