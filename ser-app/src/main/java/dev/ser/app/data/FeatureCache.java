package dev.ser.app.data;

import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureMatrix;
import dev.ser.engine.io.SafeTensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Features computed once per (audio file, feature config) and reused across runs.
 *
 * <p>The key hashes the file's absolute path, size, last-modified time and content (the first and last
 * 64 KiB, or the whole file when it is at most 128 KiB), with the config's {@link FeatureConfig#fingerprint()}.
 * Editing a file changes its time or size or sampled bytes, changing the config changes the fingerprint:
 * either gives a new key, so a stale entry is never read (it stays on disk until the folder is deleted).
 * Sampling the content costs two small reads per file, far less than decoding it, and catches a file
 * replaced by another of the same size with its time preserved (cp -p, rsync -t) when the header or tail
 * differs; a change confined to the middle of a long file with time and size preserved is not caught.
 *
 * <p>Entries are safetensors files, one tensor "features" of shape [frames, width], with the key, the source
 * and the config in the metadata; they are written atomically (temporary file, then rename), so parallel
 * extractors racing on one entry each write a whole file and readers never see half of one. An entry that
 * does not parse, or whose metadata or shape disagree with what was asked for, is deleted and recomputed with
 * a warning.
 */
public final class FeatureCache {
    /** The environment variable that moves the cache (shared between runs and working directories). */
    public static final String ENV = "SER_CACHE";
    /** Bytes hashed at each end of a file; files up to twice this are hashed whole. */
    static final int SAMPLE_BYTES = 64 * 1024;
    static final String TENSOR = "features";

    private final Path dir;
    private final Consumer<String> warnings;
    private final AtomicLong hits = new AtomicLong(), misses = new AtomicLong(), recovered = new AtomicLong();

    /** Counters since this cache object was made: entries read, entries computed, corrupt entries replaced. */
    public record Stats(long hits, long misses, long recovered) {}

    /** @param warnings where corrupt-entry warnings go (the app passes its stderr printer) */
    public FeatureCache(Path dir, Consumer<String> warnings) {
        this.dir = dir.toAbsolutePath().normalize();
        this.warnings = warnings;
    }

    /** {@code $SER_CACHE} when set, else {@code .cache/features} under the run's working directory. */
    public static Path defaultDir(Path workingDir) {
        return defaultDir(workingDir, System.getenv());
    }

    static Path defaultDir(Path workingDir, Map<String, String> env) {
        String e = env.get(ENV);
        return e != null && !e.isBlank() ? Path.of(e) : workingDir.resolve(".cache").resolve("features");
    }

    public Path dir() { return dir; }

    public Stats stats() { return new Stats(hits.get(), misses.get(), recovered.get()); }

    /** The cached features of {@code file}, computing and storing them on a miss. */
    public FeatureMatrix getOrCompute(Path file, FeatureExtractor extractor) throws IOException {
        FeatureConfig config = extractor.config();
        Identity id = identity(file, config);
        Path entry = entryPath(id, config);
        FeatureMatrix cached = read(entry, id, config);
        if (cached != null) {
            hits.incrementAndGet();
            return cached;
        }
        misses.incrementAndGet();
        FeatureMatrix m = extractor.extract(file);
        try {
            write(entry, id, config, m);
        } catch (IOException e) {
            // The cache only saves time: a full disk or read-only folder must not fail the run.
            warnings.accept("could not write feature cache entry " + entry + " (" + e.getMessage() + "); continuing without "
                    + "caching it: check free space and permissions of " + dir + " or set " + ENV);
        }
        return m;
    }

    /** The cached features, if a valid entry exists (a corrupt one is deleted with a warning). */
    public Optional<FeatureMatrix> get(Path file, FeatureConfig config) throws IOException {
        Identity id = identity(file, config);
        return Optional.ofNullable(read(entryPath(id, config), id, config));
    }

    /** Where the entry for (file, config) lives, whether or not it exists yet. */
    public Path entryPath(Path file, FeatureConfig config) throws IOException {
        return entryPath(identity(file, config), config);
    }

    private Path entryPath(Identity id, FeatureConfig config) {
        // One folder per config keeps "delete the cache of an old config" a single rm -r.
        return dir.resolve(config.fingerprint()).resolve(id.key.substring(0, 2)).resolve(id.key + ".safetensors");
    }

    /** What identifies a file's current content, and the key derived from it with the config. */
    private record Identity(String path, long size, long modified, String contentHash, String key) {}

    private static Identity identity(Path file, FeatureConfig config) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
        long size = a.size(), modified = a.lastModifiedTime().toMillis();
        MessageDigest content = sha256();
        try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.READ)) {
            if (size <= 2L * SAMPLE_BYTES) hashRange(ch, 0, size, content);
            else {
                hashRange(ch, 0, SAMPLE_BYTES, content);
                hashRange(ch, size - SAMPLE_BYTES, SAMPLE_BYTES, content);
            }
        }
        String contentHash = HexFormat.of().formatHex(content.digest());
        MessageDigest k = sha256();
        // Fields joined by NUL, which cannot occur in a path or a number: no two tuples share a string.
        String tuple = abs + "\0" + size + "\0" + modified + "\0" + contentHash + "\0" + config.fingerprint();
        String key = HexFormat.of().formatHex(k.digest(tuple.getBytes(StandardCharsets.UTF_8)), 0, 16);
        return new Identity(abs.toString(), size, modified, contentHash, key);
    }

    private static void hashRange(FileChannel ch, long from, long length, MessageDigest md) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) length);
        while (b.hasRemaining()) if (ch.read(b, from + b.position()) < 0) break;
        b.flip();
        md.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The entry's matrix, or null when absent or corrupt (a corrupt one is deleted). */
    private FeatureMatrix read(Path entry, Identity id, FeatureConfig config) throws IOException {
        if (!Files.exists(entry)) return null;
        String problem;
        try {
            SafeTensors st = SafeTensors.read(entry);
            problem = check(st, id, config);
            if (problem == null) {
                int[] shape = st.shape(TENSOR);
                return new FeatureMatrix(st.floats(TENSOR), shape[0], shape[1], config.layout());
            }
        } catch (NoSuchFileException e) {
            return null; // deleted by another run between the exists() and the read: a plain miss
        } catch (IOException | RuntimeException e) {
            problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        Files.deleteIfExists(entry);
        recovered.incrementAndGet();
        warnings.accept("feature cache entry " + entry + " was corrupt (" + problem + "): deleted it; recomputing the features of "
                + id.path);
        return null;
    }

    /** Null when the entry is the one asked for, else what is wrong with it. */
    private static String check(SafeTensors st, Identity id, FeatureConfig config) {
        Map<String, String> meta = st.metadata();
        if (!id.key.equals(meta.get("key"))) return "its key is " + meta.get("key") + ", expected " + id.key;
        if (!config.fingerprint().equals(meta.get("fingerprint")))
            return "feature config " + meta.get("fingerprint") + ", expected " + config.fingerprint();
        if (!st.has(TENSOR)) return "no '" + TENSOR + "' tensor";
        int[] shape = st.shape(TENSOR);
        int width = config.layout().width();
        if (shape.length != 2 || shape[1] != width)
            return "shape " + Arrays.toString(shape) + ", expected [frames, " + width + "]";
        if (!"F32".equals(st.entry(TENSOR).dtype())) return "dtype " + st.entry(TENSOR).dtype() + ", expected F32";
        return null;
    }

    private void write(Path entry, Identity id, FeatureConfig config, FeatureMatrix m) throws IOException {
        new SafeTensors.Writer()
                .put(TENSOR, new int[] {m.frames(), m.width()}, m.data())
                .metadata("key", id.key)
                .metadata("fingerprint", config.fingerprint())
                .metadata("source", id.path)
                .metadata("size", Long.toString(id.size))
                .metadata("last_modified_ms", Long.toString(id.modified))
                .metadata("content_sha256", id.contentHash)
                .metadata("feature_config", config.toJson())
                .write(entry); // atomic: a racing writer of the same entry writes the same bytes
    }
}
