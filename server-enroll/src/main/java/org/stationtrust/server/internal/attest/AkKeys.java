package org.stationtrust.server.internal.attest;

import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import org.stationtrust.tpm.verify.MalformedTpmStructure;
import org.stationtrust.tpm.verify.TpmPublic;

/**
 * Machines' attestation keys as parsed {@link TpmPublic}s, kept between attestations: a parsed key keeps its
 * prepared verification form (the point's precomputed multiples), which makes each later quote check of that
 * machine cheaper than parsing and converting the stored key again. Keyed by the stored encoding, so a key
 * that changes (re-enrollment) is simply another entry; bounded, since every entry is rebuilt on demand.
 */
public final class AkKeys {
    private final int capacity;
    private final ConcurrentHashMap<String, TpmPublic> parsed = new ConcurrentHashMap<>();

    /** @param capacity how many keys to keep (the fleet's size is a good value); past it the cache starts over */
    public AkKeys(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.capacity = capacity;
    }

    /** The AK stored as base64 TPMT_PUBLIC, parsed once. */
    public TpmPublic get(String storedBase64) {
        TpmPublic cached = parsed.get(storedBase64);
        if (cached != null) return cached;
        TpmPublic fresh = parse(storedBase64);
        if (parsed.size() >= capacity) parsed.clear();
        parsed.put(storedBase64, fresh);
        return fresh;
    }

    /** Parses a stored public area without keeping it (for one-off checks such as activation). */
    public static TpmPublic parse(String storedBase64) {
        try {
            return TpmPublic.parse(Base64.getDecoder().decode(storedBase64));
        } catch (MalformedTpmStructure | IllegalArgumentException e) {
            // The server stored it after parsing it at enrollment: failing here means the database was altered.
            throw new IllegalStateException("a stored TPM public area does not parse", e);
        }
    }
}
