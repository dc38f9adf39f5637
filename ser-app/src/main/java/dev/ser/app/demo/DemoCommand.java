package dev.ser.app.demo;

import dev.ser.app.Main;
import dev.ser.app.cli.Args;
import dev.ser.app.cli.Command;
import dev.ser.app.predict.PredictCommand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ser demo}: the bundled model predicting the emotion of clips it never heard, beside their true
 * labels. The clips are RAVDESS actors 19-24 (the bundled model's held-out test speakers) from
 * ../shared/datasets when that folder is there; otherwise a synthetic espeak clip shipped in the jar.
 */
public final class DemoCommand implements Command {
    static final String EMOTIONS = "01 neutral, 02 calm, 03 happy, 04 sad, 05 angry, 06 fearful, 07 disgust, 08 surprised";

    @Override public String name() { return "demo"; }

    @Override public String summary() { return "the bundled model on held-out RAVDESS clips, predictions beside the true labels"; }

    @Override public String usage() {
        return """
                usage: ser demo [--datasets DIR]

                Predicts with the bundled model (trained by `ser train` on RAVDESS actors 1-18) on one clip per
                emotion from actors 19-24, which it never saw, and prints each prediction beside the true label.
                DIR defaults to $SER_DATASETS, else ../shared/datasets beside the project.""";
    }

    @Override public int run(Args args) throws Exception {
        Path datasets = args.path("datasets", defaultDatasets());
        args.finish();
        List<String> files = new ArrayList<>();
        Path ravdess = datasets == null ? null : datasets.resolve("ravdess");
        if (ravdess != null && Files.isDirectory(ravdess)) {
            // one clip per emotion (strong intensity, statement 1), cycling through the six held-out actors
            for (int emotion = 1; emotion <= 8; emotion++) {
                int actor = 19 + (emotion - 1) % 6;
                Path clip = firstExisting(ravdess.resolve(String.format("Actor_%02d", actor)), emotion);
                if (clip != null) files.add(relative(clip).toString());
            }
            System.out.println("Held-out RAVDESS clips (actors 19-24; the bundled model's members were trained and validated on actors 1-18).");
            System.out.println("File names carry the truth: the third field is the emotion (" + EMOTIONS + ").\n");
        }
        if (files.isEmpty()) {
            System.out.println("No RAVDESS copy found (looked in " + ravdess + "; set SER_DATASETS or --datasets).");
            System.out.println("Predicting on a synthetic espeak clip instead: robotic speech, no true emotion.\n");
            files.add(extractSyntheticClip().toString());
        }
        List<String> predictArgs = new ArrayList<>(files);
        int status = new PredictCommand().run(Args.parse(predictArgs, Main.FLAGS));
        System.out.println("\nNext: ./ser predict YOUR.wav   ./ser predict --stream long.wav   ./ser train ../shared/datasets/ravdess --out runs/mine"
                + "\n      ./ser help   (docs/app.md has every command by example)");
        return status;
    }

    /** A strong-intensity clip of this emotion by this actor, or any clip of the emotion when that one is absent. */
    private static Path firstExisting(Path actorDir, int emotion) throws IOException {
        if (!Files.isDirectory(actorDir)) return null;
        try (Stream<Path> s = Files.list(actorDir)) {
            List<Path> clips = s.filter(p -> p.getFileName().toString().matches(String.format("03-01-%02d-.*\\.wav", emotion))).sorted().toList();
            return clips.stream().filter(p -> p.getFileName().toString().startsWith(String.format("03-01-%02d-02-01", emotion))).findFirst()
                    .orElse(clips.isEmpty() ? null : clips.getFirst());
        }
    }

    /** Shorter to read in the table: relative to the working directory when that is possible. */
    private static Path relative(Path p) {
        try {
            return Path.of("").toAbsolutePath().relativize(p.toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            return p;
        }
    }

    private static Path defaultDatasets() {
        String env = System.getenv("SER_DATASETS");
        if (env != null) return Path.of(env);
        String home = System.getProperty("ser.home");
        return home == null ? Path.of("..", "shared", "datasets") : Path.of(home).resolveSibling("shared").resolve("datasets");
    }

    private static Path extractSyntheticClip() throws IOException {
        Path out = Files.createTempFile("ser-demo-", ".wav");
        out.toFile().deleteOnExit();
        try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/ser/app/demo/espeak-synthetic-speech.wav")) {
            if (in == null) throw new IOException("the demo clip is missing from this build");
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }
}
