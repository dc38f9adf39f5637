package dev.ser.app.features;

import dev.ser.app.cli.Args;
import dev.ser.app.cli.Command;
import dev.ser.app.cli.UsageException;
import dev.ser.audio.pipeline.Feature;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureMatrix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ser features FILE|DIR}: the feature pipeline on one WAV file or every .wav under a folder,
 * written as safetensors, .npy or CSV with the exact config beside the numbers ({@link FeatureWriter}).
 */
public final class FeaturesCommand implements Command {
    @Override public String name() { return "features"; }

    @Override public String summary() { return "compute librosa-compatible features (MFCC, deltas, log-mel, chroma ...) of WAV files"; }

    @Override public String usage() {
        FeatureConfig d = FeatureConfig.defaults();
        return """
                usage: ser features FILE.wav|DIR [options]

                Decodes each WAV file (mono: channels averaged), resamples it to --sr (librosa's kaiser_best), and
                computes the selected features with librosa's definitions and option names. DIR is searched
                recursively for .wav files; a file that fails to decode is reported with the reason and skipped,
                and the exit status is then 1.

                Features (--feature NAME[,NAME...], any order; columns always come in this order):
                  mfcc       librosa.feature.mfcc (n_mfcc columns), followed by its deltas when --deltas is given
                  mel        librosa.power_to_db(librosa.feature.melspectrogram(...)): log-mel in dB (n_mels columns)
                  chroma     librosa.feature.chroma_stft (n_chroma columns, norm=inf)
                  rms        librosa.feature.rms(frame_length=n_fft)
                  zcr        librosa.feature.zero_crossing_rate(frame_length=n_fft)
                  centroid   librosa.feature.spectral_centroid (Hz)
                  pitch      librosa.hz_to_midi(librosa.yin(...)): F0 in semitones, then YIN's aperiodicity (2 columns)
                  stft       abs(librosa.stft(...)) (1 + n_fft/2 columns)
                Without --feature: mfcc with deltas 1 and 2, mel, chroma (%d columns with the defaults).

                Options (librosa's names; defaults in brackets):
                  --sr HZ             model sample rate; every file is resampled to it [%d]
                  --n-fft N           FFT size [%d]
                  --hop-length N      samples between frames [%d]
                  --win-length N      Hann window length, zero-padded to n_fft [%d; n_fft if --n-fft is smaller]
                  --n-mels N          mel bands [%d]
                  --n-mfcc N          MFCCs [%d]
                  --fmin HZ           lowest mel frequency [%s]
                  --fmax HZ|none      highest mel frequency [none = sr/2]
                  --htk               HTK mel scale instead of Slaney's
                  --norm slaney|none  mel filter normalisation [slaney]
                  --lifter N          MFCC liftering, 0 = none [%d]
                  --top-db DB|none    power_to_db floor below the peak [%s]
                  --n-chroma N        chroma bins [%d]
                  --tuning X|none     chroma tuning in bins; none = estimate per file as librosa does [%s]
                  --pitch-fmin HZ     lowest F0 the pitch feature looks for [65]
                  --pitch-fmax HZ     highest F0 [800]
                  --pitch-frame-length N  samples YIN compares with their shift [1024]
                  --deltas            append the MFCCs' first and second deltas (width 9); implied without --feature
                  --feature LIST      comma-separated feature names, e.g. mfcc,mel (the option cannot be repeated)

                Output:
                  --format safetensors|npy|csv   [safetensors]
                  --layout frames|librosa        frames: [frames x features], one row per 10 ms, what models take (default);
                                                 librosa: [features x frames], librosa's orientation, to compare with it directly
                  --out PATH          a file for FILE (default: the input's name with the format's extension, in the
                                      current folder); a folder for DIR, mirroring the input's subfolders
                                      (default: ./DIRNAME-features)
                  --max-frames N      pad with zero frames or keep the first N frames; adds a mask (safetensors
                                      tensor "mask", or "valid_frames" in the sidecar) of the real frames
                  --quiet             print only failures

                safetensors files hold "features" plus one tensor per block ("mfcc", "mfcc_delta", "mfcc_delta2",
                "mel", "chroma", ...) and in __metadata__: feature_config (JSON, librosa names), fingerprint, layout,
                columns ({"mfcc": [0, 13], ...}: start, end), source, frames. npy and csv files get the same as a
                sidecar NAME.json. Load with safetensors.numpy.load_file, np.load, or for csv np.loadtxt(f, delimiter=",",
                skiprows=1) (frames layout; the librosa layout starts each row with the feature's name:
                pandas.read_csv(f, index_col=0)).
                """.formatted(d.layout().width(), d.sr(), d.nFft(), d.hopLength(), d.winLength(), d.nMels(), d.nMfcc(),
                d.fmin(), d.lifter(), d.topDb(), d.nChroma(), d.tuning());
    }

    @Override public int run(Args args) throws IOException {
        FeatureConfig config = config(args);
        String format = args.choice("format", "safetensors", "safetensors", "npy", "csv");
        String layout = args.choice("layout", "frames", "frames", "librosa");
        int maxFrames = args.integer("max-frames", 0);
        if (args.has("max-frames") && maxFrames <= 0) throw new UsageException("--max-frames must be positive; got " + maxFrames);
        boolean quiet = args.flag("quiet");
        Path out = args.path("out", null);
        List<String> inputs = args.positional();
        args.finish();
        if (inputs.size() != 1)
            throw new UsageException("expected one FILE.wav or DIR, found " + (inputs.isEmpty() ? "none" : inputs.size() + ": " + inputs)
                    + " (ser features --help)");
        Path input = Path.of(inputs.get(0));
        if (!Files.exists(input)) throw new UsageException("no such file or folder: " + input);
        FeatureWriter writer = new FeatureWriter(format, layout.equals("librosa"), maxFrames);
        FeatureExtractor extractor = new FeatureExtractor(config);

        if (Files.isRegularFile(input)) {
            Path target = out != null ? out : Path.of(stem(input) + writer.extension());
            FeatureMatrix m = extractor.extract(input);
            writer.write(target, m, config, input.getFileName().toString());
            if (!quiet) System.out.println(describe(input, target, m, maxFrames));
            return 0;
        }
        Path root = out != null ? out : Path.of(input.toAbsolutePath().normalize().getFileName() + "-features");
        List<Path> wavs;
        try (Stream<Path> walk = Files.walk(input)) {
            wavs = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted().toList();
        }
        if (wavs.isEmpty()) throw new UsageException("no .wav files under " + input);
        Map<Path, String> failed = new LinkedHashMap<>();
        long frames = 0;
        long t0 = System.nanoTime();
        for (Path wav : wavs) {
            Path relative = input.relativize(wav);
            Path target = root.resolve(relative).resolveSibling(stem(wav) + writer.extension());
            try {
                FeatureMatrix m = extractor.extract(wav);
                writer.write(target, m, config, relative.toString());
                frames += m.frames();
                if (!quiet) System.out.println(describe(wav, target, m, maxFrames));
            } catch (IOException | IllegalArgumentException e) {
                // A bad file (not WAV, compressed, too short for the deltas) must not stop a data set.
                failed.put(wav, e.getMessage());
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d of %d files -> %s (%d frames of %d features, config %s) in %.1f s%n", wavs.size() - failed.size(),
                wavs.size(), root, frames, config.layout().width(), config.fingerprint(), seconds);
        if (failed.isEmpty()) return 0;
        System.err.println(failed.size() + " file(s) failed and were skipped:");
        // Decoding errors already start with the file's name.
        failed.forEach((p, why) -> System.err.println("  " + (why != null && why.startsWith(p.toString()) ? why : p + ": " + why)));
        return 1;
    }

    private static String describe(Path in, Path out, FeatureMatrix m, int maxFrames) {
        String fit = maxFrames <= 0 ? "" : " (fitted to " + maxFrames + ", " + Math.min(maxFrames, m.frames()) + " valid)";
        return in + " -> " + out + ": " + m.frames() + " frames" + fit + " x " + m.width() + " features";
    }

    private static String stem(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The defaults with the options given, validated together; a bad combination is a usage error. */
    public static FeatureConfig config(Args a) {
        Map<String, Object> m = new LinkedHashMap<>();
        intOption(a, m, "sr", "sr");
        intOption(a, m, "n-fft", "n_fft");
        intOption(a, m, "hop-length", "hop_length");
        intOption(a, m, "win-length", "win_length");
        intOption(a, m, "n-mels", "n_mels");
        intOption(a, m, "n-mfcc", "n_mfcc");
        intOption(a, m, "lifter", "lifter");
        intOption(a, m, "n-chroma", "n_chroma");
        intOption(a, m, "pitch-frame-length", "pitch_frame_length");
        if (a.has("fmin")) m.put("fmin", a.number("fmin", 0));
        if (a.has("pitch-fmin")) m.put("pitch_fmin", a.number("pitch-fmin", 0));
        if (a.has("pitch-fmax")) m.put("pitch_fmax", a.number("pitch-fmax", 0));
        nullableNumber(a, m, "fmax", "fmax");
        nullableNumber(a, m, "top-db", "top_db");
        nullableNumber(a, m, "tuning", "tuning");
        if (a.flag("htk")) m.put("htk", true);
        String norm = a.choice("norm", null, "slaney", "none");
        if (norm != null) m.put("norm", norm.equals("none") ? null : norm);
        boolean deltas = a.flag("deltas");
        String features = a.string("feature", null);
        if (features != null) {
            List<String> names = new ArrayList<>();
            for (String s : features.split(",")) {
                if (s.isBlank()) continue;
                try {
                    names.add(Feature.of(s).key());
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--feature: " + e.getMessage());
                }
            }
            m.put("features", names);
            m.put("deltas", deltas ? List.of(1, 2) : List.of());
        }
        if (!m.containsKey("win_length") && m.containsKey("n_fft")
                && ((Number) m.get("n_fft")).intValue() < FeatureConfig.defaults().winLength())
            m.put("win_length", m.get("n_fft")); // librosa: win_length defaults to n_fft
        try {
            return FeatureConfig.defaults().with(m);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private static void intOption(Args a, Map<String, Object> m, String option, String key) {
        if (a.has(option)) m.put(key, a.integer(option, 0));
    }

    private static void nullableNumber(Args a, Map<String, Object> m, String option, String key) {
        if (!a.has(option)) return;
        String v = a.string(option, null);
        m.put(key, v.equalsIgnoreCase("none") ? null : a.number(option, 0));
    }
}
