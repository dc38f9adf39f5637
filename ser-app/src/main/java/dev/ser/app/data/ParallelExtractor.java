package dev.ser.app.data;

import dev.ser.app.corpus.ScanReport;
import dev.ser.app.corpus.Utterance;
import dev.ser.audio.io.AudioFormatException;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureMatrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Features of many utterances on a fixed pool of threads, through a {@link FeatureCache} when one is given.
 * Results come back in input order whatever order the threads finish in. A file that fails to decode (or is
 * too short for the configured features) is reported with its name and reason, counted into the scan report
 * and left out; it does not stop the run. Any other exception is a bug and is rethrown.
 */
public final class ParallelExtractor {
    /** Report reason for files the decoder rejects. */
    public static final String DECODE_FAILED = "failed to decode";
    /** Report reason for files that decode but cannot give the configured features (too short for deltas). */
    public static final String FEATURES_FAILED = "could not compute features";

    private final FeatureExtractor extractor;
    private final FeatureCache cache;
    private final int threads;

    /** @param cache null to compute every time */
    public ParallelExtractor(FeatureExtractor extractor, FeatureCache cache, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1; found " + threads);
        this.extractor = extractor;
        this.cache = cache;
        this.threads = threads;
    }

    public ParallelExtractor(FeatureExtractor extractor, FeatureCache cache) {
        this(extractor, cache, defaultThreads());
    }

    public static int defaultThreads() { return Runtime.getRuntime().availableProcessors(); }

    /** A file left out, and why. */
    public record Failure(Utterance utterance, String reason, String message) {}

    /** The utterances that have features, their features at the same index, and the ones that failed. */
    public record Result(List<Utterance> utterances, List<FeatureMatrix> features, List<Failure> failures) {}

    private sealed interface Outcome {
        record Ok(FeatureMatrix m) implements Outcome {}
        record Failed(String reason, String message) implements Outcome {}
    }

    /** Extracts all; failures also go into {@code report} (which may be null). */
    public Result extract(List<Utterance> utterances, ScanReport report) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "features");
            t.setDaemon(true); // an interrupted run must not hang on its workers
            return t;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>(utterances.size());
            for (Utterance u : utterances) futures.add(pool.submit(() -> one(u)));
            List<Utterance> ok = new ArrayList<>();
            List<FeatureMatrix> features = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (int i = 0; i < utterances.size(); i++) {
                Utterance u = utterances.get(i);
                switch (await(futures.get(i))) {
                    case Outcome.Ok o -> {
                        ok.add(u);
                        features.add(o.m());
                    }
                    case Outcome.Failed f -> {
                        failures.add(new Failure(u, f.reason(), f.message()));
                        if (report != null) report.reject(u.corpus(), f.reason(), u.id() + ": " + f.message());
                    }
                }
            }
            return new Result(ok, features, failures);
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome one(Utterance u) throws IOException {
        try {
            return new Outcome.Ok(cache == null ? extractor.extract(u.path()) : cache.getOrCompute(u.path(), extractor));
        } catch (AudioFormatException e) {
            return new Outcome.Failed(DECODE_FAILED, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Outcome.Failed(FEATURES_FAILED, e.getMessage());
        } catch (IOException e) {
            // Unreadable file (permissions, vanished since the scan): the file's problem, not the run's.
            return new Outcome.Failed(DECODE_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Outcome await(Future<Outcome> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("feature extraction was interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            if (c instanceof IOException io) throw new UncheckedIOException(io);
            throw new IllegalStateException(c);
        }
    }
}
