package dev.ser.audio.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Damaged files: random byte mutations, truncations, insertions and header-field overwrites of valid
 * files must each give either audio or an {@link AudioFormatException}; never another exception,
 * never a hang. 6,000 cases, seeded; the whole run must finish within 20 s (it takes well under 2).
 */
class WavFuzzTest {

    private static List<byte[]> seeds() throws IOException {
        List<byte[]> s = new ArrayList<>();
        s.add(Files.readAllBytes(LibrosaReference.clip("short_8k_u8")));
        byte[] chirp = Files.readAllBytes(LibrosaReference.clip("chirp_44k_pcm24_stereo"));
        s.add(Arrays.copyOf(chirp, 2000));  // extensible header, then cut: keeps the run fast
        byte[] tone = Files.readAllBytes(LibrosaReference.clip("tone_noise_48k_float32"));
        s.add(Arrays.copyOf(tone, 1500));   // float with a fact chunk
        s.add(new WavBuilder().chunk("LIST", new byte[9]).fmt(7, 3, 8000, 8).data(new byte[301]).build());
        s.add(new WavBuilder().fmt(3, 2, 22050, 64).chunk("odd ", new byte[1]).data(new byte[160]).build());
        s.add(new WavBuilder().fmt(1, 6, 96000, 32).data(new byte[240]).build());
        return s;
    }

    @Test
    void damagedFilesNeverEscapeTheCheckedException() throws IOException {
        List<byte[]> seeds = seeds();
        Random random = new Random(1234);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 6000; i++) {
                byte[] seed = seeds.get(random.nextInt(seeds.size()));
                byte[] bad = mutate(seed, random);
                try {
                    Audio a = WavReader.read(bad, "fuzz.wav");
                    if (a.samples().length == 0) fail("case " + i + ": empty audio returned instead of an error");
                    outcomes[0]++;
                } catch (AudioFormatException expected) {
                    outcomes[1]++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError("case " + i + " (seed " + seeds.indexOf(seed) + "): " + e, e);
                }
            }
        });
        System.out.printf("fuzz: 6000 damaged files, %d decoded, %d refused with AudioFormatException%n", outcomes[0], outcomes[1]);
    }

    private static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        switch (r.nextInt(5)) {
            case 0 -> {  // flip a few bytes, mostly in the header where they matter
                for (int k = 1 + r.nextInt(4); k > 0; k--) b[r.nextInt(Math.min(b.length, r.nextBoolean() ? 64 : b.length))] = (byte) r.nextInt(256);
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));  // truncate anywhere
            case 2 -> {  // overwrite a 32-bit field (a size, a rate) with an extreme
                int at = r.nextInt(Math.max(1, Math.min(b.length - 4, 60)));
                int v = switch (r.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> -1;
                    case 2 -> Integer.MAX_VALUE;
                    default -> r.nextInt();
                };
                for (int k = 0; k < 4 && at + k < b.length; k++) b[at + k] = (byte) (v >> (8 * k));
            }
            case 3 -> {  // insert junk bytes, misaligning every chunk after it
                int at = r.nextInt(b.length);
                byte[] junk = new byte[1 + r.nextInt(7)];
                r.nextBytes(junk);
                byte[] c = new byte[b.length + junk.length];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(junk, 0, c, at, junk.length);
                System.arraycopy(b, at, c, at + junk.length, b.length - at);
                b = c;
            }
            default -> {  // overwrite a 16-bit field (tag, channels, block align, bits)
                int at = 20 + r.nextInt(Math.max(1, Math.min(b.length - 22, 30)));
                int v = r.nextInt(4) == 0 ? 0 : r.nextInt(65536);
                if (at + 1 < b.length) {
                    b[at] = (byte) v;
                    b[at + 1] = (byte) (v >> 8);
                }
            }
        }
        return b;
    }
}
