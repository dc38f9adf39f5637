package dev.ser.audio.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which columns of a [frames x features] matrix hold which feature. The order is fixed by the config, not
 * by the user's listing: mfcc, mfcc_delta (order 1), mfcc_delta2 (order 2), mel, chroma, rms, zcr,
 * centroid, pitch, pitch_aperiodicity, stft, each present only when selected. With the defaults that is
 * mfcc [0,13) mfcc_delta [13,26) mfcc_delta2 [26,39) mel [39,79) chroma [79,91): 91 columns.
 */
public record FeatureLayout(List<Range> ranges, int width) {

    /** Columns [start, end) of one named block. */
    public record Range(String name, int start, int end) {
        public int width() { return end - start; }
    }

    public FeatureLayout {
        ranges = List.copyOf(ranges);
    }

    public static FeatureLayout of(FeatureConfig c) {
        List<Range> out = new ArrayList<>();
        int at = 0;
        for (Feature f : c.features()) {
            int w = switch (f) {
                case MFCC -> c.nMfcc();
                case MEL -> c.nMels();
                case CHROMA -> c.nChroma();
                case RMS, ZCR, CENTROID, PITCH -> 1;
                case STFT -> c.nFft() / 2 + 1;
            };
            out.add(new Range(f.key(), at, at + w));
            at += w;
            if (f == Feature.PITCH) {
                out.add(new Range("pitch_aperiodicity", at, at + 1));
                at += 1;
            }
            if (f == Feature.MFCC)
                for (int order : c.deltas()) {
                    out.add(new Range(order == 1 ? "mfcc_delta" : "mfcc_delta" + order, at, at + c.nMfcc()));
                    at += c.nMfcc();
                }
        }
        return new FeatureLayout(out, at);
    }

    public Range range(String name) {
        for (Range r : ranges) if (r.name.equals(name)) return r;
        throw new IllegalArgumentException("no feature block '" + name + "' in this layout; it has " + names());
    }

    public boolean has(String name) {
        for (Range r : ranges) if (r.name.equals(name)) return true;
        return false;
    }

    public List<String> names() {
        List<String> n = new ArrayList<>();
        for (Range r : ranges) n.add(r.name);
        return n;
    }

    /** {@code {"mfcc": [0, 13], ...}} for metadata: start inclusive, end exclusive. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Range r : ranges) m.put(r.name, List.of((long) r.start, (long) r.end));
        return m;
    }
}
