package org.stationtrust.tpm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.stationtrust.tpm.eventlog.EventLog;
import org.stationtrust.tpm.eventlog.MalformedEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * The PCR banks a quote covers, in selection order: SHA-256, and SHA-1 beside it for a boot event log
 * that carries no SHA-256 digests (firmware writing the SHA-1 TCG_PCR_EVENT format, PC Client PFP
 * §10.2.1, or a crypto-agile log of the SHA-1 bank alone), so that the server can replay that log.
 * SHA-256 stays in every selection: the server's baseline, pins and history are SHA-256 values, and a
 * quote without it would let a station trade the SHA-256 bank for the weaker one.
 */
public final class PcrBanks {
    /** sha256 alone: every quote whose log (if any) carries SHA-256 digests. */
    public static final PcrBanks SHA256 = new PcrBanks(List.of(HashAlgorithm.SHA256));
    /** sha256 then sha1: the quote of a station whose log carries SHA-1 digests only. */
    public static final PcrBanks SHA256_AND_SHA1 = new PcrBanks(List.of(HashAlgorithm.SHA256, HashAlgorithm.SHA1));
    private static final Set<HashAlgorithm> SUPPORTED = Set.of(HashAlgorithm.SHA256, HashAlgorithm.SHA1);

    private final List<HashAlgorithm> banks;

    private PcrBanks(List<HashAlgorithm> banks) {
        this.banks = banks;
    }

    /**
     * Banks in selection order, each once, each SHA-1 or SHA-256. A selection without SHA-256 is for tests
     * that prove the server refuses it.
     */
    public static PcrBanks of(HashAlgorithm... banks) {
        Objects.requireNonNull(banks, "banks");
        if (banks.length == 0) {
            throw new IllegalArgumentException("a quote covers at least one PCR bank (sha256), got none");
        }
        List<HashAlgorithm> list = new ArrayList<>();
        for (HashAlgorithm b : banks) {
            if (b == null || !SUPPORTED.contains(b)) {
                throw new IllegalArgumentException("PCR bank " + b + " is not quoted here; use sha256 and, for a"
                        + " SHA-1-only boot event log, sha1");
            }
            if (list.contains(b)) {
                throw new IllegalArgumentException("PCR bank " + b.bankName() + " listed twice");
            }
            list.add(b);
        }
        return new PcrBanks(Collections.unmodifiableList(list));
    }

    /**
     * The banks to quote for the boot event log the station holds: SHA-256 when the log carries SHA-256
     * digests (or there is no log, or it does not parse: the server judges that, and SHA-256 is what it
     * expects), SHA-256 and SHA-1 when the log carries SHA-1 digests and no SHA-256 ones.
     */
    public static PcrBanks forEventLog(Optional<byte[]> log) {
        if (log.isEmpty()) {
            return SHA256;
        }
        try {
            return forEventLog(EventLog.parse(log.get()));
        } catch (MalformedEventLog e) {
            return SHA256;
        }
    }

    public static PcrBanks forEventLog(EventLog log) {
        Set<HashAlgorithm> carried = log.banks();
        return !carried.contains(HashAlgorithm.SHA256) && carried.contains(HashAlgorithm.SHA1) ? SHA256_AND_SHA1
                : SHA256;
    }

    /** The banks in selection order. */
    public List<HashAlgorithm> banks() {
        return banks;
    }

    public boolean contains(HashAlgorithm bank) {
        return banks.contains(bank);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcrBanks other && banks.equals(other.banks);
    }

    @Override
    public int hashCode() {
        return banks.hashCode();
    }

    @Override
    public String toString() {
        return String.join("+", banks.stream().map(HashAlgorithm::bankName).toList());
    }
}
