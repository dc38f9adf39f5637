package dev.ser.audio.io;

import dev.ser.engine.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The librosa reference clips and tensors for the audio tests.
 *
 * <p>Tensors come from {@code ../../shared/reference/librosa/<clip>.safetensors} (from the module directory) when that folder exists
 * (the full files, 16 MB, with the generating metadata), otherwise from the compact copy
 * {@code src/test/resources/librosa/decoded_and_resampled.safetensors}, which holds just
 * {@code <clip>.decoded} and {@code <clip>.resample_<sr>_kaiser_best}, float32, copied unchanged, so the
 * tests run on a fresh clone. The WAV clips are always the copies under test resources.
 */
public final class LibrosaReference {
    private LibrosaReference() {}

    public static final List<String> CLIPS = List.of("chirp_44k_pcm24_stereo", "short_8k_u8", "speech_espeak_16k_pcm16",
            "speech_espeak_22k_pcm16", "tone_noise_48k_float32");

    /** The shared checkout beside the project, seen from the module directory (Maven's working directory for tests). */
    private static final Path SHARED = Path.of("..", "..", "shared", "reference", "librosa");
    private static final Path RESOURCES = Path.of("src", "test", "resources", "librosa");
    private static SafeTensors compact;

    public static Path clip(String clip) {
        return RESOURCES.resolve("clips").resolve(clip + ".wav");
    }

    /** Whether the full reference files are here (then polyphase references and metadata are too). */
    public static boolean sharedAvailable() {
        // -Dser.reference.compact=true exercises the fresh-clone path on a machine that has ../shared.
        return Files.isDirectory(SHARED) && !Boolean.getBoolean("ser.reference.compact");
    }

    /** The full reference file of a clip; only when {@link #sharedAvailable()}. */
    public static SafeTensors full(String clip) throws IOException {
        return SafeTensors.read(SHARED.resolve(clip + ".safetensors"));
    }

    /** A tensor of a clip, e.g. {@code decoded} or {@code resample_16000_kaiser_best}; null if the clip has none. */
    public static float[] tensor(String clip, String name) throws IOException {
        if (sharedAvailable()) {
            SafeTensors st = full(clip);
            return st.has(name) ? st.floats(name) : null;
        }
        SafeTensors st = compact();
        return st.has(clip + "." + name) ? st.floats(clip + "." + name) : null;
    }

    /** Where the tensors come from, for the test log. */
    public static String source() {
        return sharedAvailable() ? SHARED.toString() : RESOURCES.resolve("decoded_and_resampled.safetensors").toString();
    }

    private static synchronized SafeTensors compact() {
        if (compact == null) {
            try {
                compact = SafeTensors.read(RESOURCES.resolve("decoded_and_resampled.safetensors"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return compact;
    }
}
