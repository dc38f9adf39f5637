package dev.ser.engine.backend.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs an LSTM recurrence on disjoint ranges of batch rows at once. The sequences of a batch never
 * interact inside a layer, so each thread owns rows [b0, b1) of every buffer (state, gates, saved
 * activations) and nothing is shared but the read-only weights. One fork and one join per layer and
 * direction, not per time step, so the cost of the hand-off is negligible.
 */
final class LstmBatchSplit {
    private LstmBatchSplit() {}

    interface RowRange {
        void run(int b0, int b1);
    }

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lstm-batch");
        t.setDaemon(true);
        return t;
    });

    /** Splits [0, batch) into up to {@code threads} contiguous ranges; the calling thread runs the first. */
    static void run(int batch, int threads, RowRange task) {
        int parts = Math.max(1, Math.min(threads, batch));
        if (parts == 1) {
            task.run(0, batch);
            return;
        }
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            int b0 = batch * p / parts, b1 = batch * (p + 1) / parts;
            futures[p - 1] = POOL.submit(() -> task.run(b0, b1));
        }
        task.run(0, batch / parts);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an LSTM batch range", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) throw re;
                if (cause instanceof Error err) throw err;
                throw new IllegalStateException(cause);
            }
        }
    }
}
