package dev.ser.audio.features;

import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Finds the librosa 0.10.2 feature references. Preferred: the full files in the shared checkout,
 * {@code ../../shared/reference/librosa} from the module directory (Maven's working directory for tests);
 * otherwise the compact copy in test resources ({@code librosa-features/*.safetensors.gz}, made by
 * {@code make_compact.py} there), so a fresh clone runs the same tests.
 */
final class LibrosaReferences {

    static final List<String> CLIPS = List.of(
            "chirp_44k_pcm24_stereo", "short_8k_u8", "speech_espeak_16k_pcm16", "speech_espeak_22k_pcm16", "tone_noise_48k_float32");

    private static final Path SHARED = Path.of("..", "..", "shared", "reference", "librosa");

    private LibrosaReferences() {}

    /** {@code -Dser.librosaReferences=compact} forces the compact copy (to check it where ../shared exists). */
    static boolean sharedAvailable() {
        if ("compact".equals(System.getProperty("ser.librosaReferences"))) return false;
        return Files.isRegularFile(SHARED.resolve(CLIPS.get(0) + ".safetensors"));
    }

    /** Where the references come from, for the test log. */
    static String source() {
        return sharedAvailable() ? SHARED.toAbsolutePath().normalize().toString()
                : "classpath:librosa-features/*.safetensors.gz (compact copy)";
    }

    static SafeTensors load(String clip) {
        try {
            if (sharedAvailable()) return SafeTensors.read(SHARED.resolve(clip + ".safetensors"));
            String resource = "/librosa-features/" + clip + ".safetensors.gz";
            try (InputStream in = LibrosaReferences.class.getResourceAsStream(resource)) {
                if (in == null)
                    throw new IOException("missing test resource " + resource + ": regenerate it with "
                            + "audio/src/test/resources/librosa-features/make_compact.py");
                try (GZIPInputStream gz = new GZIPInputStream(in)) {
                    return SafeTensors.parse(gz.readAllBytes(), Path.of(resource));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The per-tensor call descriptions: {@code __metadata__.features}, tensor name to its parameters. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> features(SafeTensors st) {
        String json = st.metadata().get("features");
        if (json == null) throw new IllegalStateException("reference has no __metadata__.features");
        return (Map<String, Map<String, Object>>) (Map<?, ?>) Json.parseObject(json);
    }

    /** ||ours - ref|| / ||ref||; the absolute norm when the reference is all zeros. */
    static double relativeError(float[] ours, double[] ref) {
        if (ours.length != ref.length) throw new AssertionError("length " + ours.length + " vs reference " + ref.length);
        double diff = 0, norm = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = ours[i] - ref[i];
            diff += d * d;
            norm += ref[i] * ref[i];
        }
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }

    /** The element with the largest absolute difference, for failure messages. */
    static String worstElement(Matrix ours, double[] ref) {
        int worst = 0;
        double w = -1;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs(ours.data()[i] - ref[i]);
            if (d > w) { w = d; worst = i; }
        }
        return "worst at [" + worst / Math.max(1, ours.cols()) + ", " + worst % Math.max(1, ours.cols()) + "]: ours "
                + ours.data()[worst] + ", librosa " + ref[worst];
    }
}
