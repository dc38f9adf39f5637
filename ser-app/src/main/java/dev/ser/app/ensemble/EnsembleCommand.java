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
                usage: ser ensemble --out ENSEMBLE.safetensors [--tta 0.9,1.0,1.1] MODEL.safetensors MODEL.safetensors...

                One file holding every model given (each a model.safetensors of `ser train`, or an ensemble
                file); `ser predict --model` and `ser evaluate --model` take it like a model and average the
                members' class probabilities. The members must share the label list, the feature config and the
                window length (each keeps its own normalization statistics): typically the same configuration
                trained with other seeds or other validation speakers (docs/results.md).

                  --tta 0.9,1.0,1.1   test-time speeds recorded in the file: predict and evaluate also hear each
                                      clip sped up by these factors and average (default 1.0: as it is)""";
    }

    @Override public int run(Args args) throws Exception {
        Path out = args.path("out", null);
        String tta = args.string("tta", "1.0");
        args.finish();
        if (out == null) throw new UsageException("--out ENSEMBLE.safetensors is required");
        List<Path> files = args.positional().stream().map(Path::of).toList();
        if (files.size() < 2) throw new UsageException("give two or more model files to join; got " + files.size());
        SerEnsemble ensemble = PredictCommand.withSpeeds(PredictCommand.loadModels(files), tta);
        try {
            ensemble.save(out);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.printf(Locale.ROOT, "%s: %d models, labels %s, test-time speeds %s%n", out, ensemble.size(), ensemble.labels(),
                java.util.Arrays.toString(ensemble.speeds()));
        for (SerModel m : ensemble.members()) {
            Object corpora = m.training().get("corpora");
            Object val = corpora instanceof java.util.Map<?, ?> c && c.get("val_speakers") != null ? c.get("val_speakers") : "its split's";
            Object uar = m.training().get("val_uar");
            System.out.printf(Locale.ROOT, "  best epoch %s: validation UAR %s on speakers %s%n", m.training().getOrDefault("best_epoch", "?"),
                    uar instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "?", val);
        }
        return 0;
    }
}
