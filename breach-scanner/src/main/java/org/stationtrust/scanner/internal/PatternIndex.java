package org.stationtrust.scanner.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Many masked patterns searched in one pass: candidates are looked up by the first two bytes at each
 * position (a pattern whose second byte is a wildcard sits under every second byte), so in base64 text only
 * a few of the hundreds of derived patterns are ever compared.
 */
public final class PatternIndex {
    private static final MaskedPattern[] NONE = new MaskedPattern[0];
    private final MaskedPattern[][] byFirstTwo = new MaskedPattern[65536][];
    private final int longest;

    public PatternIndex(List<MaskedPattern> patterns) {
        List<List<MaskedPattern>> buckets = new ArrayList<>(65536);
        for (int i = 0; i < 65536; i++) buckets.add(null);
        int max = 0;
        for (MaskedPattern p : patterns) {
            int first = (p.first() & 0xff) << 8;
            if (p.length() > 1 && p.knownAt(1)) {
                add(buckets, first | (p.byteAt(1) & 0xff), p);
            } else {
                for (int second = 0; second < 256; second++) add(buckets, first | second, p);
            }
            max = Math.max(max, p.length());
        }
        for (int i = 0; i < 65536; i++) byFirstTwo[i] = buckets.get(i) == null ? NONE : buckets.get(i).toArray(NONE);
        this.longest = max;
    }

    private static void add(List<List<MaskedPattern>> buckets, int key, MaskedPattern p) {
        if (buckets.get(key) == null) buckets.set(key, new ArrayList<>());
        buckets.get(key).add(p);
    }

    public int longest() {
        return longest;
    }

    /** Calls {@code hit} for every pattern starting at a position in [from, to) and ending within {@code end}. */
    public void search(byte[] data, int from, int to, int end, Hit hit) {
        for (int i = from; i < to; i++) {
            int second = i + 1 < end ? data[i + 1] & 0xff : 0;
            MaskedPattern[] candidates = byFirstTwo[(data[i] & 0xff) << 8 | second];
            for (MaskedPattern p : candidates) {
                if (i + p.length() <= end && p.matchesAt(data, i)) hit.at(p, i);
            }
        }
    }

    /** A match of a pattern at a position of the searched array. */
    @FunctionalInterface
    public interface Hit {
        void at(MaskedPattern pattern, int position);
    }
}
