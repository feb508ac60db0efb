package org.stationtrust.tpm.verify;

import java.security.MessageDigest;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * PCR values of one bank (SHA-256, or SHA-1 for a log that carries nothing stronger), ordered by index:
 * what an agent sends along with a quote. The quote's pcrDigest is SHA-256 over the values concatenated
 * in selection (ascending index) order (TPM 2.0 Part 3 §18.4); {@link QuotedPcrs} holds several banks.
 */
public final class PcrValues {
    public static final int MAX_INDEX = 23;

    private final HashAlgorithm bank;
    private final SortedMap<Integer, byte[]> values;

    private PcrValues(HashAlgorithm bank, SortedMap<Integer, byte[]> values) {
        this.bank = bank;
        this.values = values;
    }

    /** SHA-256 bank values by PCR index (0..23); each value must be 32 bytes; at least one PCR. */
    public static PcrValues sha256(Map<Integer, byte[]> byIndex) {
        return of(HashAlgorithm.SHA256, byIndex);
    }

    /** SHA-1 bank values by PCR index (0..23); each value must be 20 bytes; at least one PCR. */
    public static PcrValues sha1(Map<Integer, byte[]> byIndex) {
        return of(HashAlgorithm.SHA1, byIndex);
    }

    /** Values of {@code bank} by PCR index (0..23); each as long as the bank's digest; at least one PCR. */
    public static PcrValues of(HashAlgorithm bank, Map<Integer, byte[]> byIndex) {
        Objects.requireNonNull(bank, "bank");
        if (byIndex == null || byIndex.isEmpty()) {
            throw new IllegalArgumentException("PCR values must hold at least one PCR, got none");
        }
        SortedMap<Integer, byte[]> copy = new TreeMap<>();
        for (Map.Entry<Integer, byte[]> e : byIndex.entrySet()) {
            Integer index = e.getKey();
            byte[] value = e.getValue();
            if (index == null || index < 0 || index > MAX_INDEX) {
                throw new IllegalArgumentException("PCR index must be 0.." + MAX_INDEX + ", got " + index);
            }
            if (value == null || value.length != bank.digestLength()) {
                throw new IllegalArgumentException("PCR " + index + " of the " + bank + " bank must be "
                        + bank.digestLength() + " bytes, got " + (value == null ? "null" : value.length));
            }
            copy.put(index, value.clone());
        }
        return new PcrValues(bank, copy);
    }

    public HashAlgorithm bank() {
        return bank;
    }

    public SortedSet<Integer> indices() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(values.keySet()));
    }

    public byte[] value(int index) {
        byte[] v = values.get(index);
        if (v == null) {
            throw new IllegalArgumentException("PCR " + index + " is not among " + values.keySet());
        }
        return v.clone();
    }

    /** A copy of the values by index, ascending. */
    public SortedMap<Integer, byte[]> asMap() {
        SortedMap<Integer, byte[]> copy = new TreeMap<>();
        values.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** SHA-256 of the values concatenated in ascending index order. */
    public byte[] digest() {
        MessageDigest md = HashAlgorithm.SHA256.newDigest();
        update(md);
        return md.digest();
    }

    /** Feeds the values, in ascending index order, to a digest of several banks ({@link QuotedPcrs}). */
    void update(MessageDigest md) {
        values.values().forEach(md::update);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcrValues other && bank == other.bank && values.keySet().equals(other.values.keySet())
                && MessageDigest.isEqual(digest(), other.digest());
    }

    @Override
    public int hashCode() {
        return values.keySet().hashCode();
    }

    @Override
    public String toString() {
        return "PcrValues[" + bank.bankName() + " " + values.keySet() + "]";
    }
}
