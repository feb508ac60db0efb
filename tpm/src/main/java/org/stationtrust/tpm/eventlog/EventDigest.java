package org.stationtrust.tpm.eventlog;

import java.util.HexFormat;
import java.util.Optional;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * One digest of an event: the TPM_ALG_ID of its bank and the value extended into that bank. An
 * algorithm this package does not implement (e.g. SM3) is kept with the size the log header gave it,
 * but cannot be replayed.
 */
public record EventDigest(int algorithmId, byte[] value) {
    public EventDigest {
        if (algorithmId < 0 || algorithmId > 0xffff) {
            throw new IllegalArgumentException("a TPM_ALG_ID is 16 bits, got " + algorithmId);
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Whether this digest equals {@code candidate} (no copy, for the hot path of the replay). */
    boolean matches(byte[] candidate) {
        return java.security.MessageDigest.isEqual(value, candidate);
    }

    byte[] valueUnsafe() {
        return value;
    }

    public Optional<HashAlgorithm> hash() {
        return HashAlgorithm.fromId(algorithmId);
    }

    public String hex() {
        return HexFormat.of().formatHex(value);
    }
}
