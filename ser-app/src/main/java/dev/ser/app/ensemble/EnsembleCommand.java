package dev.ser.app.ensemble;

import dev.ser.app.cli.Args;
import dev.ser.app.cli.Command;
import dev.ser.app.cli.UsageException;
import dev.ser.app.model.SerEnsemble;
import dev.ser.app.model.SerModel;
import dev.ser.app.predict.PredictCommand;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code ser ensemble --out FILE MODEL...}: several trained models as ONE file that predicts with their mean. */
public final class EnsembleCommand implements Command {
    @Override public String name() { return "ensemble"; }

    @Override public String summary() { return "join trained models into one ensemble file (the mean of their probabilities)"; }

    @Override public String usage() {
        return """
                usage: ser ensemble --out ENSEMBLE.safetensors [--tta 0.9,1.0,1.1] [--adapt im] [--weights float16] MODEL.safetensors MODEL.safetensors...

                One file holding every model given (each a model.safetensors of `ser train`, or an ensemble
                file, which may also be given alone to rewrite it, e.g. with --weights float16); `ser predict
                --model` and `ser evaluate --model` take it like a model and average the
                members' class probabilities. The members must share the label list, the feature config and the
                window length (each keeps its own normalization statistics): typically the same configuration
                trained with other seeds or other validation speakers (docs/results.md).

                  --tta 0.9,1.0,1.1   test-time speeds recorded in the file: predict and evaluate also hear each
                                      clip sped up by these factors and average (default: the first file's,
                                      1.0 for a model of `ser train`: the clip as it is)
                  --adapt im|entropy|none   adaptation to the speaker recorded in the file: where speakers are
                                      known (evaluate; predict --speakers), each member first adapts to each
                                      speaker's clips (default: the first file's, none for a model of `ser train`)
                  --weights float16   store the weights in half precision: half the file, predictions within
                                      about 1e-3 of float32 (default float32: as trained)""";
    }

    @Override public int run(Args args) throws Exception {
        Path out = args.path("out", null);
        String tta = args.string("tta", null);
        String adapt = args.string("adapt", null);
        SerEnsemble.Weights weights = SerEnsemble.Weights.valueOf(args.choice("weights", "float32", "float32", "float16").toUpperCase(Locale.ROOT));
        args.finish();
        if (out == null) throw new UsageException("--out ENSEMBLE.safetensors is required");
        List<Path> files = args.positional().stream().map(Path::of).toList();
        if (files.isEmpty()) throw new UsageException("give the model files to join (two or more models, or an ensemble file to rewrite)");
        SerEnsemble ensemble = PredictCommand.withAdaptation(PredictCommand.withSpeeds(PredictCommand.loadModels(files), tta), adapt);
        if (ensemble.size() < 2) throw new UsageException("an ensemble joins two or more models; " + files.getFirst() + " is one model");
        try {
            ensemble.save(out, weights);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.printf(Locale.ROOT, "%s: %d models, labels %s, test-time speeds %s, adaptation to the speaker: %s, %s weights%n", out,
                ensemble.size(), ensemble.labels(), java.util.Arrays.toString(ensemble.speeds()),
                ensemble.adaptation() == null ? "none" : ensemble.adaptation().option, weights.name().toLowerCase(Locale.ROOT));
        for (SerModel m : ensemble.members()) {
            Object corpora = m.training().get("corpora");
            Object val = corpora instanceof java.util.Map<?, ?> c && c.get("val_speakers") != null ? c.get("val_speakers") : "its split's";
            Object uar = m.training().get("val_uar");
            String averaged = m.training().get("averaged_epochs") instanceof java.util.List<?> a && a.size() == 2
                    ? " (weights averaged over epochs " + a.get(0) + "-" + a.get(1) + ")" : "";
            if (m.training().get("refit_epochs") instanceof Number n) {
                System.out.printf(Locale.ROOT, "  refit: %d epochs on the training and validation speakers (%s)%s%n", n.intValue(), val, averaged);
                continue;
            }
            System.out.printf(Locale.ROOT, "  best epoch %s%s: validation UAR %s on speakers %s%n", m.training().getOrDefault("best_epoch", "?"),
                    averaged, uar instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "?", val);
        }
        return 0;
    }
}
