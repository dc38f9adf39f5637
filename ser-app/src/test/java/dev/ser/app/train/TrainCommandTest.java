package dev.ser.app.train;

import dev.ser.app.Main;
import dev.ser.app.cli.Args;
import dev.ser.app.cli.UsageException;
import dev.ser.audio.io.WavWriter;
import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `ser train` end to end on a tiny synthetic RAVDESS-named corpus: what the options write into the run folder. */
class TrainCommandTest {
    private static final int SR = 16000;

    /** Four actors, each with two clips of every emotion: a tone whose pitch depends on the emotion. */
    private static Path corpus(Path dir) throws Exception {
        Path root = dir.resolve("ravdess");
        for (int actor = 1; actor <= 4; actor++) {
            Path folder = Files.createDirectories(root.resolve(String.format("Actor_%02d", actor)));
            for (int emotion = 1; emotion <= 8; emotion++)
                for (int take = 1; take <= 2; take++) {
                    float[] y = new float[SR / 4];
                    double hz = 110 * Math.pow(1.25, emotion) * (1 + 0.02 * actor);
                    for (int i = 0; i < y.length; i++) y[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / SR) + 0.01 * take * Math.sin(i));
                    WavWriter.write(folder.resolve(String.format("03-01-%02d-01-01-%02d-%02d.wav", emotion, take, actor)), y, SR, 16);
                }
        }
        return root;
    }

    private static void train(List<String> argv) throws Exception {
        PrintStream stdout = System.out, stderr = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            new TrainCommand().run(Args.parse(argv, Main.FLAGS));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    private static List<String> argv(Path corpus, Path out, Path cache, String... extra) {
        List<String> a = new ArrayList<>(List.of(corpus.toString(), "--out", out.toString(), "--cache", cache.toString(),
                "--split", "holdout", "--test-speakers", "ravdess:04", "--val-speakers", "ravdess:03", "--feature", "mfcc",
                "--n-mels", "16", "--n-mfcc", "8", "--max-frames", "30", "--hidden", "6", "--layers", "1", "--dense", "none",
                "--batch-size", "8", "--lr", "1e-2", "--patience", "0"));
        a.addAll(List.of(extra));
        if (!a.contains("--epochs")) a.addAll(List.of("--epochs", "4"));
        return a;
    }

    @SuppressWarnings("unchecked")
    @Test void weightAveragingIsRecordedInTheRunFolderAndABadStartIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        Path corpus = corpus(dir), cache = dir.resolve("cache"), run = dir.resolve("run");
        train(argv(corpus, run, cache, "--swa-start", "2"));
        Map<String, Object> config = (Map<String, Object>) Json.parse(Files.readString(run.resolve("config.json")));
        assertEquals(2, ((Number) config.get("swa_start")).intValue());
        Map<String, Object> training = (Map<String, Object>) Json.parse(SafeTensors.read(run.resolve("model.safetensors")).metadata().get("ser.training"));
        int best = ((Number) training.get("best_epoch")).intValue();
        if (best >= 2) assertEquals(List.of(2, best), ((List<Number>) training.get("averaged_epochs")).stream().map(Number::intValue).toList());
        else assertFalse(training.containsKey("averaged_epochs"), training.toString());
        SafeTensors checkpoint = SafeTensors.read(run.resolve("checkpoint.safetensors"));
        assertTrue(checkpoint.has("swa.lstm.weight_hh_l0"), "the checkpoint carries the average: " + checkpoint.names());
        // its refit for all four epochs returns the mean of epochs 2-4
        Path refit = dir.resolve("refit");
        train(argv(corpus, refit, cache, "--swa-start", "2", "--refit", "4"));
        Map<String, Object> refitTraining = (Map<String, Object>) Json.parse(SafeTensors.read(refit.resolve("model.safetensors")).metadata().get("ser.training"));
        assertEquals(List.of(2, 4), ((List<Number>) refitTraining.get("averaged_epochs")).stream().map(Number::intValue).toList());
        assertEquals("2-4", SafeTensors.read(refit.resolve("best.safetensors")).metadata().get("trainer.averaged_epochs"));

        // without the option the config has no key (older runs stay resumable), and a start after the last epoch is refused at once
        Path plain = dir.resolve("plain");
        UsageException shortRun = assertThrows(UsageException.class, () -> train(argv(corpus, plain, cache, "--epochs", "1")));
        assertTrue(shortRun.getMessage().contains("--warmup-epochs must be between 0 and --epochs (1)"), shortRun.getMessage());
        train(argv(corpus, plain, cache, "--epochs", "2"));
        assertFalse(Files.readString(plain.resolve("config.json")).contains("swa_start"));
        Path late = dir.resolve("late");
        UsageException e = assertThrows(UsageException.class, () -> train(argv(corpus, late, cache, "--swa-start", "5")));
        assertTrue(e.getMessage().contains("--swa-start must be between 1 and the last epoch (4, --epochs), got 5"), e.getMessage());
        UsageException refitLate = assertThrows(UsageException.class, () -> train(argv(corpus, late, cache, "--swa-start", "3", "--refit", "2")));
        assertTrue(refitLate.getMessage().contains("(2, the refit's)"), refitLate.getMessage());
        assertFalse(Files.exists(late), "nothing is written for a refused option");
    }
}
