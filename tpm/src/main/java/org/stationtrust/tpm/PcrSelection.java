package org.stationtrust.tpm;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * A selection of PCRs in the SHA-256 bank (the bank swtpm and current platforms activate). Indices
 * 0..23; at least one.
 */
public record PcrSelection(SortedSet<Integer> pcrs) {
    /** sha256:0-7, the firmware and boot-loader measurements: the default for quotes. */
    public static final PcrSelection DEFAULT = of(IntStream.rangeClosed(0, 7).toArray());

    public PcrSelection {
        if (pcrs == null || pcrs.isEmpty()) {
            throw new IllegalArgumentException("a PCR selection needs at least one PCR index (0..23)");
        }
        pcrs = Collections.unmodifiableSortedSet(new TreeSet<>(pcrs));
        for (int i : pcrs) {
            if (i < 0 || i > 23) {
                throw new IllegalArgumentException("PCR index " + i + " is outside 0..23");
            }
        }
    }

    public static PcrSelection of(int... indices) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int i : indices) {
            set.add(i);
        }
        return new PcrSelection(set);
    }

    @Override
    public String toString() {
        return "sha256:" + pcrs;
    }
}
