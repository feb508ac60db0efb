package org.stationtrust.tpm.verify;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The PCR values of every bank a quote covers, in the order of the quote's TPML_PCR_SELECTION: the
 * TPM hashes the banks in that order into pcrDigest (TPM 2.0 Part 1 §17.5, Part 3 §18.4). One entry
 * per bank; at least one.
 */
public final class QuotedPcrs {
    private final List<PcrValues> banks;

    private QuotedPcrs(List<PcrValues> banks) {
        this.banks = banks;
    }

    /** Banks in selection order; each bank at most once, at least one bank. */
    public static QuotedPcrs of(List<PcrValues> banks) {
        Objects.requireNonNull(banks, "banks");
        if (banks.isEmpty()) {
            throw new IllegalArgumentException("a quote covers at least one PCR bank, got none");
        }
        List<PcrValues> copy = new ArrayList<>(banks.size());
        for (PcrValues b : banks) {
            Objects.requireNonNull(b, "bank values");
            if (copy.stream().anyMatch(c -> c.bank() == b.bank())) {
                throw new IllegalArgumentException("the " + b.bank().bankName() + " bank appears twice; a quote"
                        + " selects each bank once");
            }
            copy.add(b);
        }
        return new QuotedPcrs(List.copyOf(copy));
    }

    public static QuotedPcrs of(PcrValues... banks) {
        return of(List.of(banks));
    }

    /** The banks' values in selection order. */
    public List<PcrValues> banks() {
        return banks;
    }

    /** The banks in selection order. */
    public List<HashAlgorithm> algorithms() {
        return banks.stream().map(PcrValues::bank).toList();
    }

    /** The values of {@code bank}, when the quote covers it. */
    public Optional<PcrValues> bank(HashAlgorithm bank) {
        return banks.stream().filter(b -> b.bank() == bank).findFirst();
    }

    /** The SHA-256 bank's values, which every quote our agent makes covers (see {@link #bank}). */
    public Optional<PcrValues> sha256() {
        return bank(HashAlgorithm.SHA256);
    }

    /** The same values ordered as {@code order} lists the banks; the banks must be the same. */
    public QuotedPcrs inOrder(List<HashAlgorithm> order) {
        if (order.size() != banks.size() || !order.containsAll(algorithms())) {
            throw new IllegalArgumentException("order " + order + " does not list the banks " + algorithms());
        }
        return of(order.stream().map(h -> bank(h).orElseThrow()).toList());
    }

    /** {@link #digest(HashAlgorithm)} with SHA-256, the scheme hash of every AK our agent makes. */
    public byte[] digest() {
        return digest(HashAlgorithm.SHA256);
    }

    /**
     * The quote's PCR digest: {@code hash} over every bank's values, bank by bank in selection order, each in
     * ascending index order. A TPM takes the hash of the quote's signing scheme (Part 3 §18.4), whatever the banks.
     */
    public byte[] digest(HashAlgorithm hash) {
        MessageDigest md = hash.newDigest();
        banks.forEach(b -> b.update(md));
        return md.digest();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuotedPcrs other && banks.equals(other.banks);
    }

    @Override
    public int hashCode() {
        return banks.hashCode();
    }

    @Override
    public String toString() {
        return "QuotedPcrs" + banks;
    }
}
