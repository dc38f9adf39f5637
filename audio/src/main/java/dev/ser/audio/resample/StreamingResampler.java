package dev.ser.audio.resample;

import java.util.Arrays;

/**
 * Resampling in chunks: {@link #push} input as it arrives, {@link #finish} at the end. The
 * concatenated outputs equal {@link Resampler#resample(float[])} on the whole signal, sample for
 * sample (same table rows, same dot products, same zero padding), whatever the chunk sizes.
 *
 * <p>How: output t needs input samples {@code n(t) - before + 1 .. n(t) - before + taps} (n(t) the
 * input sample at its instant). It is emitted as soon as the last of those has arrived, and input
 * older than the first one the next output needs is dropped, so the buffer stays about one filter
 * length (a few hundred samples) plus the latest chunk. The latency is the right wing: about 50
 * input periods when upsampling, 50 output periods when downsampling (3 ms at 16 kHz).
 *
 * <p>Not thread-safe; one instance per stream.
 */
public final class StreamingResampler {
    private final Resampler owner;
    private final PolyphaseResampler poly;  // null: equal rates, pass through

    /** Zero-padded input; buf[0] is padded index {@code dropped}. Padded index = input index + before. */
    private float[] buf;
    private int filled;
    private long dropped;
    private long received;
    private long emitted;
    private boolean finished;

    StreamingResampler(Resampler owner, PolyphaseResampler poly) {
        this.owner = owner;
        this.poly = poly;
        buf = new float[poly == null ? 0 : Math.max(1024, 2 * (poly.before + poly.taps))];
        filled = poly == null ? 0 : poly.before;  // the front zero padding
    }

    /** Feeds the next input chunk; returns the output samples it completed (possibly none). */
    public float[] push(float[] chunk) {
        if (finished) throw new IllegalStateException("finish() was called; start a new stream()");
        received += chunk.length;
        if (poly == null) {
            emitted += chunk.length;
            return chunk.clone();
        }
        append(chunk);
        long ready = DirectResampler.resampyLength(received, owner.srFrom(), owner.srTo());
        return produce(ready, false);
    }

    /** Ends the stream: the remaining samples, zero padding included, up to librosa's length. */
    public float[] finish() {
        if (finished) throw new IllegalStateException("finish() was already called");
        finished = true;
        if (poly == null) return new float[0];
        long computed = DirectResampler.resampyLength(received, owner.srFrom(), owner.srTo());
        append(new float[poly.taps + 1]);  // the tail zero padding
        float[] tail = produce(computed, true);
        long total = (long) Math.ceil(received * ((double) owner.srTo() / owner.srFrom()));
        return Arrays.copyOf(tail, (int) (tail.length + Math.max(0, total - computed)));
    }

    /** Input samples pushed so far. */
    public long inputCount() {
        return received;
    }

    /** Output samples returned so far (by push; finish adds its own). */
    public long outputCount() {
        return emitted;
    }

    private float[] produce(long limit, boolean atEnd) {
        long bufferedEnd = dropped + filled;  // padded index one past the last buffered sample
        long t = emitted;
        float[] out = new float[(int) Math.max(0, limit - t)];
        int count = 0;
        while (t < limit) {
            long first = poly.inputIndex(t) + 1;  // padded index of the row's first tap
            if (!atEnd && first + poly.taps > bufferedEnd) break;
            out[count++] = poly.sample(buf, dropped, t);
            t++;
        }
        emitted = t;
        long keepFrom = poly.inputIndex(t) + 1;  // the next row's first tap
        int drop = (int) Math.min(filled, Math.max(0, keepFrom - dropped));
        System.arraycopy(buf, drop, buf, 0, filled - drop);
        filled -= drop;
        dropped += drop;
        return count == out.length ? out : Arrays.copyOf(out, count);
    }

    private void append(float[] chunk) {
        if (filled + chunk.length > buf.length) buf = Arrays.copyOf(buf, Math.max(2 * buf.length, filled + chunk.length));
        System.arraycopy(chunk, 0, buf, filled, chunk.length);
        filled += chunk.length;
    }
}
