package dev.ser.app.train;

import dev.ser.app.cli.Args;
import dev.ser.app.cli.Command;
import dev.ser.app.cli.UsageException;
import dev.ser.app.device.DeviceOption;
import dev.ser.app.evaluate.Evaluation;
import dev.ser.app.features.FeaturesCommand;
import dev.ser.app.metrics.plot.OptionalPlot;
import dev.ser.app.metrics.plot.TrainingCurvesPlot;
import dev.ser.app.model.FeatureNormalization;
import dev.ser.app.model.SerModel;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.cuda.backend.CudaBackend;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.io.AtomicFiles;
import dev.ser.engine.io.Json;
import dev.ser.engine.nn.LSTM;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ser train CORPUS...}: scan -> split by speaker -> features (cached) -> dataset normalization ->
 * LSTM classifier -> the best epoch on the validation split -> the model file and a test report.
 */
public final class TrainCommand implements Command {
    @Override public String name() { return "train"; }

    @Override public String summary() { return "train a speaker-independent emotion classifier on one or more corpora"; }

    @Override public String usage() {
        return """
                usage: ser train CORPUS_DIR... --out RUN_DIR [options]

                Corpora (RAVDESS, CREMA-D, TESS, SAVEE, EmoDB, or one folder per label) are detected from file names.
                  --corpus NAME[,NAME]    force the reader(s): ravdess, crema-d, tess, savee, emodb, folders
                  --labels a,b,c          keep only these labels       --merge calm=neutral   map one label onto another

                Split (written to RUN_DIR/split.json; the test part is never used to pick the model):
                  --split speaker         hold out a fraction of speakers (default), --test-fraction 0.2 --val-fraction 0.15
                  --split holdout         --test-speakers ravdess:19,ravdess:20 --val-speakers ravdess:17,ravdess:18
                  --split kfold           --folds 5 --fold 0 (speakers of fold k are the test set)
                  --split stratified      random by label; speakers overlap, so accuracy is optimistic

                Features (librosa's names; see `ser help features`): --sr --n-fft --hop-length --win-length --n-mels
                  --n-mfcc --fmin --fmax --htk --norm --lifter --feature mfcc,mel,chroma,pitch --deltas --pitch-fmin
                  --pitch-fmax --pitch-frame-length
                  --max-frames 240        frames per clip (10 ms each at the defaults); longer clips are cut
                  --normalize dataset     training-set mean/variance per feature (saved in the model); "utterance" first
                                          standardizes each clip over its own frames (CMVN), then applies the dataset's;
                                          "speaker" first standardizes over all of the clip's speaker's clips (at test
                                          time the test speaker's unlabelled clips; docs/app.md)
                  --cache DIR             feature cache (default .cache/features or $SER_CACHE)

                Model: --hidden 128 --layers 2 --bidirectional --dropout 0.3 --pooling attention|mean|last --dense 64[,32]
                  --conv 128[,128]        convolutions over time before the LSTM (default none), each followed by ReLU
                  --conv-kernel 5 --conv-pool 2   and average pooling that shortens the sequence (1 = none)
                Training: --epochs 40 --batch-size 32 --optimizer adamw|adam --lr 1e-3 --weight-decay 1e-2
                  --schedule cosine|step|exponential|plateau|none --warmup-epochs 2 --min-lr 1e-5 --step-size 10 --gamma 0.5
                  --clip-grad-norm 1.0 --patience 10 --select-by uar|accuracy|loss --class-weights balanced|none
                  --label-smoothing 0 --seed 42
                  --augment specaugment   mask random feature bands and frame spans of training clips (default none)
                  --mixup 0.2             blend each training batch's clips and labels in pairs, lambda ~ Beta(a, a) (0 = off)
                  --speed-perturb 0.9,1.0,1.1   resample each training clip by a factor drawn per epoch (sox speed:
                                          tempo and pitch; Kaldi's and torchaudio's speed perturbation)
                  --noise-snr 10,40       add white noise at an SNR (dB) drawn per clip and epoch in [MIN, MAX]
                  --vtlp 0.9,1.1          vocal tract length perturbation: the spectrum the mel filterbank reads stretched
                                          by a factor drawn per speaker and epoch in [MIN, MAX] (formants, not tempo)
                  --swa-start N           stochastic weight averaging: from epoch N on, validate, keep and return the mean
                                          of the weights each epoch since ended with (training goes on from its own)
                  --refit RUN_DIR|N       train on the training AND validation speakers for N epochs of the schedule
                                          --epochs plans, keeping the last; RUN_DIR: a finished run with the same
                                          options, whose best epoch is N. No validation, no early stopping; the test
                                          part stays out
                  --resume                continue RUN_DIR from its last checkpoint (same options; the device may differ)
                  --device cpu|cuda|auto|emulated   where to train (default cpu; auto: the GPU when there is one;
                                          emulated: the CUDA code path with its kernels run on the CPU, slow)
                  --tf32                  on the GPU, TF32 tensor cores for float32 products (faster; ~1e-3 rounding)
                  --lstm fused|cudnn|persistent|reference   how the LSTM runs (default fused: the cell kernel;
                                          cudnn and persistent need --device cuda; reference: primitive ops, slow)

                RUN_DIR gets: config.json, split.json, scan.txt, metrics.csv/json, training-curves.png, checkpoint.safetensors,
                model.safetensors (the one file `ser predict --model` needs), test.json/.txt/-confusion.png/-roc.png.""";
    }

    @Override public int run(Args args) throws IOException {
        Path out = args.path("out", null);
        if (out == null) throw new UsageException("--out RUN_DIR is required (where the model, metrics and plots go)");
        boolean resume = args.flag("resume");
        Datasets.Source source = Datasets.Source.from(args);
        FeatureConfig features = FeaturesCommand.config(args);
        int maxFrames = args.integer("max-frames", 240);
        FeatureNormalization normalization = FeatureNormalization.ofOption(args.choice("normalize", "dataset", "dataset", "utterance", "speaker"));
        SequenceClassifier.Config modelTemplate = modelConfig(args, features.layout().width());
        TrainOptions options = trainOptions(args);
        Augment augment = args.choice("augment", "none", "none", "specaugment").equals("specaugment") ? Augment.specAugment() : Augment.NONE;
        Mixup mixup;
        try {
            mixup = new Mixup(args.number("mixup", 0));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        WaveAugment waveAugment;
        try {
            waveAugment = WaveAugment.parse(args.string("speed-perturb", null), args.string("noise-snr", null), args.string("vtlp", null));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String refit = args.string("refit", null);
        int swaStart = args.integer("swa-start", 0);
        Path cacheDir = args.path("cache", null);
        String device = args.choice("device", "cpu", "cpu", "cuda", "auto", "emulated");
        boolean tf32 = args.flag("tf32");
        LSTM.Impl lstmImpl = LSTM.Impl.valueOf(args.choice("lstm", "fused", "fused", "cudnn", "persistent", "reference").toUpperCase(java.util.Locale.ROOT));
        args.finish();
        Backend backend = DeviceOption.open(device); // before any work: a missing GPU is reported at once
        if (!LSTM.Impl.on(backend).contains(lstmImpl)) {
            String why = backend instanceof CudaBackend gpu && lstmImpl == LSTM.Impl.CUDNN && gpu.cudnnMissing() != null ? ": " + gpu.cudnnMissing() : "";
            throw new UsageException("--lstm " + lstmImpl.name().toLowerCase(java.util.Locale.ROOT) + " does not run on " + backend.name()
                    + " (it runs " + LSTM.Impl.on(backend).stream().map(i -> i.name().toLowerCase(java.util.Locale.ROOT)).toList() + ")" + why);
        }
        if (tf32) {
            if (!(backend instanceof CudaBackend gpu)) throw new UsageException("--tf32 applies to the GPU; use it with --device cuda (or auto on a GPU machine)");
            gpu.tf32(true);
        }

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("corpora", source.toJson());
        config.put("features", features.toMap());
        config.put("max_frames", maxFrames);
        config.put("normalize", normalization.metadata);
        Map<String, Object> modelJson = modelTemplate.toJson();
        modelJson.remove("num_classes"); // known once the corpus is scanned: the training labels
        config.put("model", modelJson);
        config.put("training", options.toJson());
        config.put("augment", augment.enabled() ? "specaugment" : "none");
        if (waveAugment.enabled()) config.put("wave_augment", waveAugment.toJson()); // absent when off: older runs stay resumable
        if (mixup.enabled()) config.put("mixup_alpha", mixup.alpha());                // likewise
        if (swaStart != 0) config.put("swa_start", swaStart);                         // likewise
        int refitEpochs = RefitOption.epochs(refit, config, options);                // checked before anything is written
        if (refitEpochs != 0) config.put("refit_epochs", refitEpochs);               // absent when off, as above
        if (swaStart != 0) {
            try {
                Trainer.checkAverageFrom(options, swaStart, refitEpochs);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        checkResumable(out, config, resume);
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("config.json"), Json.writePretty(config));

        Datasets data = Datasets.load(source, features, maxFrames, normalization, cacheDir, out, options.seed(), refitEpochs != 0);
        List<String> labels = data.labels();
        SequenceClassifier.Config modelConfig = modelTemplate.withNumClasses(labels.size());
        SequenceClassifier model = new SequenceClassifier(modelConfig, DType.F32, options.seed());
        model.moveTo(backend);
        model.lstm().impl(lstmImpl);
        System.err.printf("model: %,d parameters; %d train / %d validation / %d test clips; labels %s%n", model.parameterCount(),
                data.train().size(), data.validation().size(), data.test().size(), labels);

        Trainer trainer = new Trainer(model, options, out).augment(augment).mixup(mixup);
        if (refitEpochs != 0) trainer.refit(refitEpochs);
        if (swaStart != 0) trainer.averageFrom(swaStart);
        if (waveAugment.enabled()) {
            FeatureExtractor extractor = new FeatureExtractor(features);
            trainer.epochExamples(new WaveformTrainingSet(data.trainClips(extractor), waveAugment, extractor, normalization, data.stats(), maxFrames));
            System.err.println("waveform augmentation: " + waveAugment.toJson() + ", drawn per clip per epoch"
                    + (waveAugment.vtlp() ? " (VTLP per speaker per epoch)" : ""));
        }
        Trainer.Result result = trainer.fit(data.train(), data.validation(), resume);
        plotCurves(out, result, refitEpochs != 0, swaStart);

        Map<String, Object> training = new LinkedHashMap<>();
        training.put("corpora", source.toJson());
        training.put("split", data.split().method());
        training.put("best_epoch", result.bestEpoch());
        boolean averaged = swaStart != 0 && result.bestEpoch() >= swaStart;
        String averagedNote = averaged ? " (weights averaged over epochs " + swaStart + "-" + result.bestEpoch() + ")" : "";
        if (averaged) training.put("averaged_epochs", List.of(swaStart, result.bestEpoch()));
        if (refitEpochs != 0) {
            training.put("refit_epochs", refitEpochs);
        } else {
            EpochMetrics best = result.history().get(result.bestEpoch() - 1);
            training.put("val_accuracy", best.valAccuracy());
            training.put("val_uar", best.valUar());
        }
        if (!data.test().isEmpty()) {
            Evaluation test = Evaluation.of(data.test().stream().map(Example::id).toList(), labelsOf(data.test()),
                    trainer.predict(data.test()), labels);
            String text = test.write(out, "test", "Test split (" + data.split().method() + "), "
                    + (refitEpochs != 0 ? "refit, last epoch " : "best epoch ") + result.bestEpoch() + averagedNote);
            System.out.println(text);
            training.put("test_accuracy", test.report().accuracy());
            training.put("test_uar", test.report().uar());
        }
        new SerModel(model, data.stats(), normalization, labels, maxFrames, training).save(out.resolve("model.safetensors"));
        System.out.printf("%s %d%s%s; model: %s%n", refitEpochs != 0 ? "refit: last epoch" : "best epoch", result.bestEpoch(), averagedNote,
                result.stoppedEarly() ? " (stopped early)" : "", out.resolve("model.safetensors"));
        return 0;
    }

    private static int[] labelsOf(List<Example> examples) {
        return examples.stream().mapToInt(Example::label).toArray();
    }

    /** --resume must continue the same run: refuse when the options differ from the saved config. */
    private static void checkResumable(Path out, Map<String, Object> config, boolean resume) throws IOException {
        Path saved = out.resolve("config.json");
        if (resume) {
            if (!Files.exists(saved)) throw new UsageException("--resume: " + out + " has no config.json; is it a run folder of `ser train`?");
            Object before = Json.parse(Files.readString(saved));
            Object now = Json.parse(Json.write(config));
            if (!before.equals(now))
                throw new UsageException("--resume: the options differ from the run's config.json; give the same options as the first run "
                        + "(or a new --out to start another run)");
        } else if (Files.exists(out.resolve("checkpoint.safetensors"))) {
            throw new UsageException(out + " already holds a training run: pass --resume to continue it, or choose another --out");
        }
    }

    static SequenceClassifier.Config modelConfig(Args a, int inputSize) {
        List<Integer> dense = sizes(a.string("dense", "64"), "--dense", "64 or 128,64");
        Pooling.Kind pooling = Pooling.Kind.valueOf(a.choice("pooling", "attention", "attention", "mean", "last").toUpperCase());
        List<Integer> conv = sizes(a.string("conv", "none"), "--conv", "128 or 128,128");
        int convKernel = a.integer("conv-kernel", 5), convPool = a.integer("conv-pool", 2);
        try {
            SequenceClassifier.Config c = new SequenceClassifier.Config(inputSize, a.integer("hidden", 128), a.integer("layers", 2),
                    a.flag("bidirectional"), a.number("dropout", 0.3), pooling, dense, 2);
            return conv.isEmpty() ? c : c.withConv(conv, convKernel, convPool);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** "64,32" as sizes; "none" or blank as none. */
    private static List<Integer> sizes(String csv, String option, String example) {
        List<Integer> out = new ArrayList<>();
        if (csv.isBlank() || csv.equals("none")) return out;
        for (String s : csv.split(",")) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n < 1) throw new NumberFormatException();
                out.add(n);
            } catch (NumberFormatException e) {
                throw new UsageException(option + " expects positive sizes like " + example + " (or none); got '" + csv + "'");
            }
        }
        return out;
    }

    static TrainOptions trainOptions(Args a) {
        TrainOptions d = TrainOptions.defaults();
        try {
            return new TrainOptions(a.integer("epochs", d.epochs()), a.integer("batch-size", d.batchSize()),
                    a.choice("optimizer", d.optimizer(), "adam", "adamw"), a.number("lr", d.lr()), a.number("weight-decay", d.weightDecay()),
                    a.choice("schedule", d.schedule(), "none", "step", "exponential", "cosine", "plateau"), a.integer("step-size", d.stepSize()),
                    a.number("gamma", d.gamma()), a.integer("warmup-epochs", d.warmupEpochs()), a.number("min-lr", d.minLr()),
                    a.number("clip-grad-norm", d.clipGradNorm()), a.integer("patience", d.patience()),
                    a.choice("select-by", d.selectBy(), "uar", "accuracy", "loss"),
                    a.choice("class-weights", "balanced", "balanced", "none").equals("balanced"), a.number("label-smoothing", d.labelSmoothing()),
                    (long) a.number("seed", d.seed()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** {@code swaStart}: the epoch from which validation scored the weight average (0 = never), said in the title. */
    private static void plotCurves(Path out, Trainer.Result r, boolean refit, int swaStart) {
        int n = r.history().size();
        double[] trainLoss = new double[n], valLoss = new double[n], trainAcc = new double[n], valAcc = new double[n], valUar = new double[n],
                lr = new double[n];
        for (int i = 0; i < n; i++) {
            EpochMetrics m = r.history().get(i);
            trainLoss[i] = m.trainLoss();
            valLoss[i] = m.valLoss();
            trainAcc[i] = m.trainAccuracy();
            valAcc[i] = m.valAccuracy();
            valUar[i] = m.valUar();
            lr[i] = m.lr();
        }
        // A refit has no validation: no validation lines, no best epoch to mark (the title names its last).
        List<TrainingCurvesPlot.Series> losses = new ArrayList<>(List.of(new TrainingCurvesPlot.Series("train", trainLoss)));
        List<TrainingCurvesPlot.Series> accuracies = new ArrayList<>(List.of(new TrainingCurvesPlot.Series("train accuracy", trainAcc)));
        if (!refit) {
            losses.add(new TrainingCurvesPlot.Series("validation", valLoss));
            accuracies.add(new TrainingCurvesPlot.Series("validation accuracy", valAcc));
            accuracies.add(new TrainingCurvesPlot.Series("validation UAR", valUar));
        }
        Path png = out.resolve("training-curves.png");
        OptionalPlot.write(png, () -> TrainingCurvesPlot.write(png, List.of(
                new TrainingCurvesPlot.Panel("Loss", "cross-entropy", losses),
                new TrainingCurvesPlot.Panel("Accuracy", refit ? "accuracy" : "accuracy / UAR", accuracies),
                new TrainingCurvesPlot.Panel("Learning rate", "lr", List.of(new TrainingCurvesPlot.Series("lr", lr)))),
                refit ? -1 : r.bestEpoch() - 1, "Training curves (" + (refit ? "refit, last epoch " : "best epoch ") + r.bestEpoch()
                        + (swaStart != 0 ? "; weights averaged from epoch " + swaStart : "") + ")"),
                System.err);
    }
}
