package dev.ser.app.predict;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Cuts a stream of samples into windows of {@code window} samples every {@code hop} samples, handing each
 * to a sink as soon as its last sample arrives. Window k covers samples [k*hop, k*hop + window). At the end,
 * if samples remain after the last full window (or the stream was shorter than one window), one last window
 * runs from the next start to the end: a shorter clip, predicted as a short file would be.
 *
 * <p>Keeps only the samples from the next window's start on: memory is one window plus the latest chunk,
 * whatever the stream's length. Not thread-safe; one per stream.
 */
final class SlidingWindows {
    private final int window, hop;
    private final BiConsumer<Long, float[]> sink;
    private float[] buf = new float[0];
    private int filled;
    private long bufStart;      // absolute index of buf[0]
    private long nextStart;     // absolute index where the next window starts
    private long lastEnd = -1;  // end of the last window handed out
    private boolean finished;

    /** @param sink receives (absolute start sample, the window's samples) */
    SlidingWindows(int window, int hop, BiConsumer<Long, float[]> sink) {
        if (window <= 0 || hop <= 0) throw new IllegalArgumentException("window and hop must be positive; found " + window + ", " + hop);
        this.window = window;
        this.hop = hop;
        this.sink = sink;
    }

    void push(float[] chunk) {
        if (finished) throw new IllegalStateException("finish() was called");
        int from = 0;
        if (filled == 0 && bufStart < nextStart) {  // a hop longer than the window skips samples no window covers
            from = (int) Math.min(chunk.length, nextStart - bufStart);
            bufStart += from;
        }
        int n = chunk.length - from;
        if (filled + n > buf.length) buf = Arrays.copyOf(buf, Math.max(filled + n, Math.max(2 * buf.length, window)));
        System.arraycopy(chunk, from, buf, filled, n);
        filled += n;
        while (nextStart + window <= bufStart + filled) {
            emit(nextStart, window);
            nextStart += hop;
        }
        int drop = (int) Math.min(filled, nextStart - bufStart);
        System.arraycopy(buf, drop, buf, 0, filled - drop);
        filled -= drop;
        bufStart += drop;
    }

    /** Ends the stream: the partial last window, if samples after the last full one remain. */
    void finish() {
        if (finished) return;
        finished = true;
        long end = bufStart + filled;
        if (end > lastEnd && nextStart < end) emit(nextStart, (int) (end - nextStart));
    }

    private void emit(long start, int length) {
        int off = (int) (start - bufStart);
        sink.accept(start, Arrays.copyOfRange(buf, off, off + length));
        lastEnd = start + length;
    }
}
